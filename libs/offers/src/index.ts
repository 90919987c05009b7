export * from './offers.module';
export * from './offers.service';
export * from './offers.dto';
export * from './offer.entity';
export * from './offer-chain';
export * from './offers.migration';
export * from './return-window.migration';
export * from './shipping-fee.migration';
