export * from './inventory.module';
export * from './inventory.service';
export * from './inventory.dto';
export * from './inventory.migration';
