export * from './availability.module';
export * from './availability.service';
export * from './availability.dto';
export * from './chain-availability';
export * from './availability.migration';
