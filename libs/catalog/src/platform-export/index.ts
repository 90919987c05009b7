export * from './platform-export';
export * from './read-platform-export';
export * from './shopify-products';
export * from './woocommerce-products';
export * from './youzan-items';
export * from './platform-catalog-plan';
export * from './platform-import.dto';
export * from './platform-catalog-import.service';
