import { AppConfig, assertOutgoingUrl, decryptField, DomainError, encryptField, outgoingAllowListOf, validateBody, ValidationFailedError } from '@gongxiao/core';
import { Shop } from '../channels.entities';
import { CredentialsOf, Integration, PlatformIntegration, PlatformShop, shopRefOf, ShopifyCredentials, WooCommerceCredentials, YouzanCredentials } from './platform-adapter';
import { ShopifyCredentialsDto, WooCommerceCredentialsDto, YouzanCredentialsDto } from './platform-credentials.dto';

const CREDENTIAL_TYPES = { shopify: ShopifyCredentialsDto, woocommerce: WooCommerceCredentialsDto, youzan: YouzanCredentialsDto } as const;

/** The base URL Gongxiao calls for a platform shop (Admin API, store REST API, Youzan open API). */
export function platformApiBaseOf(shop: Pick<PlatformShop, 'integration' | 'credentials'>): string {
  if (shop.integration === 'shopify') return (shop.credentials as ShopifyCredentials).apiBaseUrl ?? `https://${(shop.credentials as ShopifyCredentials).shopDomain}`;
  if (shop.integration === 'woocommerce') return (shop.credentials as WooCommerceCredentials).siteUrl;
  return (shop.credentials as YouzanCredentials).apiBaseUrl ?? 'https://open.youzanyun.com';
}

/**
 * The credentials a shop of this integration must have, checked field by field (`platformCredentials.<field>`
 * in the error), with the URL Gongxiao will call allowed by the outgoing-address rules. Native shops have none.
 */
export async function checkedPlatformCredentials(integration: Integration, given: unknown, config: AppConfig): Promise<{ stored: string; shopRef: string } | { stored: null; shopRef: null }> {
  if (integration === 'native') {
    if (given !== undefined) throw ValidationFailedError.field('platformCredentials', 'only shops with a platform integration (shopify, woocommerce, youzan) take credentials');
    return { stored: null, shopRef: null };
  }
  if (given === undefined || given === null) {
    throw ValidationFailedError.field('platformCredentials', `a ${integration} shop needs its ${integration} credentials`);
  }
  const checked = await validateBody(CREDENTIAL_TYPES[integration] as new () => object, given).catch((error: unknown) => {
    if (error instanceof DomainError) {
      throw new ValidationFailedError(
        error.message,
        (error.details ?? []).map((detail) => ({ ...detail, field: `platformCredentials.${detail.field}` })),
      );
    }
    throw error;
  });
  const credentials = { ...checked } as CredentialsOf[PlatformIntegration];
  assertOutgoingUrl(platformApiBaseOf({ integration, credentials } as PlatformShop), 'platformCredentials', outgoingAllowListOf(config));
  return { stored: encryptField(JSON.stringify(credentials)), shopRef: shopRefOf(integration, credentials) };
}

/** A platform shop with its credentials opened, or null for a native shop. */
export function platformShopOf(shop: Pick<Shop, 'id' | 'merchantId' | 'integration' | 'status' | 'platformCredentials' | 'platformShopRef'>): PlatformShop | null {
  if (shop.integration === 'native' || !shop.platformCredentials) return null;
  return {
    id: shop.id,
    merchantId: shop.merchantId,
    status: shop.status,
    integration: shop.integration,
    shopRef: shop.platformShopRef ?? '',
    credentials: JSON.parse(decryptField(shop.platformCredentials)),
  } as PlatformShop;
}
