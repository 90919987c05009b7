export * from './partnerships.module';
export * from './partnerships.service';
export * from './partnerships.dto';
export * from './partnership.entity';
export * from './partnerships.migration';
