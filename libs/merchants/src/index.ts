export * from './merchants.module';
export * from './merchants.service';
export * from './merchants.dto';
export * from './merchants.migration';
export * from './accounts.migration';
export * from './accounts.dto';
export * from './members.service';
export * from './password-reset.service';
