import { PlatformInboundAdapter, PlatformIntegration } from './platform-adapter';
import { ShopifyInboundAdapter } from './shopify/shopify-inbound';
import { WooCommerceInboundAdapter } from './woocommerce/woocommerce-inbound';
import { YouzanInboundAdapter } from './youzan/youzan-inbound';

const ADAPTERS: Record<PlatformIntegration, PlatformInboundAdapter> = {
  shopify: new ShopifyInboundAdapter(),
  woocommerce: new WooCommerceInboundAdapter(),
  youzan: new YouzanInboundAdapter(),
};

/** The inbound adapter of a platform. */
export function inboundAdapterOf(integration: PlatformIntegration): PlatformInboundAdapter {
  return ADAPTERS[integration];
}
