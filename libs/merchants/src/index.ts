export * from './merchants.module';
export * from './merchants.service';
export * from './merchants.dto';
export * from './merchants.migration';
export * from './session-retention';
export * from './session-retention.migration';
