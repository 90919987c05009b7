export * from './catalog.module';
export * from './catalog.service';
export * from './catalog.dto';
export * from './catalog.entities';
export * from './catalog.migration';
