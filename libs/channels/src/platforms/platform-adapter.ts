import type { LosslessJson, OutgoingAllowList } from '@gongxiao/core';

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

/** A delivery's headers as the HTTP server gives them (lower-case names). */
export type InboundHeaders = Record<string, string | string[] | undefined>;

/** A delivery whose signature checked out: its platform id (deduplicated on), topic and body read without loss. */
export interface PlatformDelivery {
  deliveryId: string;
  topic: string;
  payload: LosslessJson;
  /** Only a part of the body is signed (Youzan's legacy body `sign` covers `msg` alone): the rest is not to be trusted. */
  signedOnly?: 'msg';
}

/** An order in the shape of a native push (PushOrderDto); the api validates it as it validates a push. */
export interface InboundOrder {
  externalOrderId: string;
  currency: string;
  consignee: { name: string; phone: string; province: string; city: string; district: string; address: string; countryCode?: string };
  lines: { shopSkuCode: string; externalLineId?: string; title?: string; quantity: number; unitPrice: number }[];
  amounts?: { shipping?: number; discount?: number; total?: number };
  remarks?: string;
  placedAt?: string;
}

/** What a delivery asks of Gongxiao: the same commands a native push makes. */
export type InboundCommand =
  | { kind: 'order'; order: InboundOrder }
  /** `lines` absent: the whole order. Lines are named by the platform's line id, with the units to cancel. */
  | { kind: 'cancellation'; externalOrderId: string; reason: string; cancellationId?: string; lines?: { externalLineId: string; quantity: number }[] }
  | { kind: 'ignored'; reason: string; externalOrderId?: string };

/** What translating may need to look up: listings by the platform's variant id, a Youzan trade by its tid. */
export interface InboundLookups {
  shopSkuCodesByVariant(variantIds: string[]): Promise<Map<string, string>>;
  youzanTrade(tid: string): Promise<LosslessJson>;
}

/** One platform's inbound half: `verify` throws a 401 DomainError for a delivery not signed by the shop's account. */
export interface PlatformInboundAdapter {
  readonly integration: PlatformIntegration;
  verify(headers: InboundHeaders, rawBody: Buffer, shop: PlatformShop): PlatformDelivery;
  translate(delivery: PlatformDelivery, shop: PlatformShop, lookups: InboundLookups): Promise<InboundCommand>;
}

// ---- Outbound: shipments and stock told to the platform in its own API (one call per platform_call row). ----

/** A shipment to tell the platform: the shop order's platform id, the parcel, and the platform's line ids shipped. */
export interface ShipmentCall {
  shipmentId: string;
  externalOrderId: string;
  /** Every unit of the shop order has shipped (WooCommerce marks the order completed). */
  orderShipped: boolean;
  carrierCode: string;
  trackingNumber: string;
  shippedAt: string;
  lines: { lineNo: number; shopSkuCode: string; externalLineId: string | null; quantity: number }[];
}

/** Listings whose sellable quantity changed, with the platform ids that name them there. */
export interface StockCall {
  listings: { listingId: string; shopSkuCode: string; available: number; platformProductId: string | null; platformVariantId: string | null; platformInventoryItemId: string | null }[];
}

/** How a platform call may reach out: the time allowed per request and the outgoing allow-list. */
export interface PlatformCallContext {
  timeoutMs: number;
  allowList: OutgoingAllowList;
}

/**
 * What a call came to. `done`: the platform took it (`note` says what was skipped, e.g. a listing
 * without its platform ids); `skipped`: nothing could be sent and never will be; a failure says
 * whether trying again may help (429, 5xx, the network) or not (401, 403, 404, 422, a refused
 * destination), with the platform's own message kept in `error`.
 */
export type PlatformCallOutcome =
  { status: 'done' | 'skipped'; statusCode: number | null; note?: string } | { status: 'failed'; retry: boolean; statusCode: number | null; error: string; detail?: string };

/** The outbound half of a platform adapter (`platforms/<platform>/<platform>.outbound.ts`). */
export interface PlatformOutbound<P extends PlatformIntegration = PlatformIntegration> {
  tellShipment(shop: Extract<PlatformShop, { integration: P }>, call: ShipmentCall, context: PlatformCallContext): Promise<PlatformCallOutcome>;
  tellStock(shop: Extract<PlatformShop, { integration: P }>, call: StockCall, context: PlatformCallContext): Promise<PlatformCallOutcome>;
}
