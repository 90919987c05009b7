export * from './settlement.module';
export * from './settlement.migration';
export * from './settlement-holds.types';
export * from './settlement-holds.service';
export * from './balances';
