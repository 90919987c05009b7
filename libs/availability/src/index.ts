export * from './availability.module';
export * from './availability.service';
export * from './availability.dto';
export * from './chain-availability';
export * from './availability.migration';
export * from './shop-stock-sync.job';
export * from './shop-stock-sync.migration';
export * from './listing-cascade.migration';
