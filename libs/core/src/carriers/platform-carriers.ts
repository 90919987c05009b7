import { Carrier, CARRIERS, resolveCarrier } from './carriers';

/** The shop platforms Gongxiao tells shipments to in their own words. */
export type ShopPlatform = 'shopify' | 'woocommerce' | 'youzan';

/**
 * Each internal carrier as each shop platform names it:
 * - shopify: `tracking_info.company`. Shopify builds the tracking link itself only for the names on its
 *   "Supported tracking companies" list (FulfillmentTrackingInfo.company), which must be sent exactly as
 *   written there: of China's domestic carriers the list has "SF Express" and "China Post". The others
 *   are sent by their English trade names (Shopify stores any company name; the parcel is then shown
 *   with its number but without a link Shopify built).
 * - woocommerce: the Shipment Tracking extension's provider. Its predefined providers are per country and
 *   none is Chinese, so the name goes as a custom provider (`custom_tracking_provider`).
 * - youzan: `out_stype`, the express company id of youzan.logistics.express.get. Only 申通 = 1 could be
 *   checked against a stored source; 2 圆通, 3 中通, 4 韵达, 6 百世, 7 顺丰 are the long-standing ids of
 *   that list as integrators use them, not verified against Youzan's own answer (see the README). Carriers
 *   without an id here are not sent to Youzan with a guessed one: the call fails for good, saying why.
 */
const PLATFORM_NAMES: Record<string, Partial<Record<ShopPlatform, string>>> = {
  SF: { shopify: 'SF Express', woocommerce: 'SF Express', youzan: '7' },
  ZTO: { shopify: 'ZTO Express', woocommerce: 'ZTO Express', youzan: '3' },
  YTO: { shopify: 'YTO Express', woocommerce: 'YTO Express', youzan: '2' },
  STO: { shopify: 'STO Express', woocommerce: 'STO Express', youzan: '1' },
  YUNDA: { shopify: 'Yunda Express', woocommerce: 'Yunda Express', youzan: '4' },
  JTSD: { shopify: 'J&T Express', woocommerce: 'J&T Express' },
  JD: { shopify: 'JD Logistics', woocommerce: 'JD Logistics' },
  EMS: { shopify: 'EMS', woocommerce: 'EMS' },
  POSTB: { shopify: 'China Post', woocommerce: 'China Post' },
  DBKD: { shopify: 'Deppon Express', woocommerce: 'Deppon Express' },
  HTKY: { shopify: 'Best Express', woocommerce: 'Best Express', youzan: '6' },
  ZJS: { shopify: 'ZJS Express', woocommerce: 'ZJS Express' },
  UC: { shopify: 'UC Express', woocommerce: 'UC Express' },
  KYE: { shopify: 'KY Express', woocommerce: 'KY Express' },
  ANE: { shopify: 'ANE Logistics', woocommerce: 'ANE Logistics' },
  OTHER: { shopify: 'Other', woocommerce: 'Other' },
};

/** The carrier (any spelling Gongxiao accepts) as the platform names it, or null when the platform has no name for it. */
export function carrierForPlatform(platform: ShopPlatform, carrierCode: string): string | null {
  const carrier = resolveCarrier(carrierCode);
  return carrier ? (PLATFORM_NAMES[carrier.code]?.[platform] ?? null) : null;
}

const normalised = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/**
 * The internal carrier a platform's name or id stands for (a Shopify company, a WooCommerce provider, a
 * Youzan express id), or null. Names the platform uses come first; a Shopify or WooCommerce name that is
 * not one of them falls back to every spelling Gongxiao knows ("顺丰", "SF").
 */
export function carrierFromPlatform(platform: ShopPlatform, value: string | number): Carrier | null {
  const text = normalised(String(value));
  const code = Object.entries(PLATFORM_NAMES).find(([, names]) => names[platform] !== undefined && normalised(names[platform]!) === text)?.[0];
  if (code) return CARRIERS.find((carrier) => carrier.code === code) ?? null;
  return platform === 'youzan' ? null : resolveCarrier(String(value));
}
