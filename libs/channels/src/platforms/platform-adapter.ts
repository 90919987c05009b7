/**
 * Shops on real platforms. Each platform has an adapter under `platforms/<platform>/` with three
 * parts: verify (a delivery really comes from the shop's platform account), translate inbound (the
 * platform's payload into the same commands a native push makes: an order, a cancellation, nothing)
 * and translate outbound (shipments and stock in the platform's own calls).
 */
export const INTEGRATIONS = ['native', 'shopify', 'woocommerce', 'youzan'] as const;
export type Integration = (typeof INTEGRATIONS)[number];
export type PlatformIntegration = Exclude<Integration, 'native'>;

export interface ShopifyCredentials {
  shopDomain: string;
  webhookSecret: string;
  accessToken: string;
  apiVersion?: string;
  locationId?: string;
  apiBaseUrl?: string;
}

export interface WooCommerceCredentials {
  siteUrl: string;
  webhookSecret: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface YouzanCredentials {
  clientId: string;
  clientSecret: string;
  kdtId: string;
  apiBaseUrl?: string;
}

export interface CredentialsOf {
  shopify: ShopifyCredentials;
  woocommerce: WooCommerceCredentials;
  youzan: YouzanCredentials;
}

/** A shop that takes a platform's webhooks, with its credentials decrypted (system use only). */
export type PlatformShop = {
  [P in PlatformIntegration]: { id: string; merchantId: string; status: 'active' | 'disabled'; integration: P; shopRef: string; credentials: CredentialsOf[P] };
}[PlatformIntegration];

/** What the platform's name for the shop is, from its credentials (checked against deliveries). */
export function shopRefOf(integration: PlatformIntegration, credentials: CredentialsOf[PlatformIntegration]): string {
  if (integration === 'shopify') return (credentials as ShopifyCredentials).shopDomain.toLowerCase();
  if (integration === 'woocommerce') return new URL((credentials as WooCommerceCredentials).siteUrl).host.toLowerCase();
  return (credentials as YouzanCredentials).kdtId;
}
