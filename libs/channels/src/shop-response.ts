import { Shop } from './channels.entities';
import { ShopResponseDto } from './channels.dto';

/** `plaintextSecret` only when the secret was just made: it is stored encrypted and shown once. */
export function toShopResponse(shop: Shop, plaintextSecret?: string): ShopResponseDto {
  return {
    id: shop.id,
    platform: shop.platform,
    name: shop.name,
    callbackUrl: shop.callbackUrl,
    status: shop.status,
    orderPushPath: `/v1/shops/${shop.id}/orders`,
    integration: shop.integration,
    platformWebhookPath: shop.integration === 'native' ? null : `/v1/shops/${shop.id}/webhooks/${shop.integration}`,
    platformShopRef: shop.platformShopRef,
    createdAt: shop.createdAt.toISOString(),
    ...(plaintextSecret ? { webhookSecret: plaintextSecret } : {}),
  };
}
