import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, Currency, DomainError, LosslessJson, money, OutboxService, sqlRows, whenNotFound } from '@gongxiao/core';
import { CatalogPlatform, PlatformVariant, readPlatformExport } from '@gongxiao/catalog';
import { AvailableOffersByCodeService, OfferBySkuCode } from '@gongxiao/offers';
import { SHOP_SKU_CODE } from '../channels.dto';
import { ChannelsService } from '../channels.service';
import { PlatformListingRowDto, PlatformListingsReportDto } from './platform-listings.dto';

const UNMATCHED_MESSAGES: Record<string, string> = {
  no_offer: 'No offer available to you has a SKU with this code',
  ambiguous_offer: 'Several offers available to you have a SKU with this code: list the one you sell by hand',
  currency_mismatch: "The offer's currency is not the currency of the export",
  own_sku_listing: 'This shop already lists the code as your own SKU; that listing is left as it is',
};

interface StoredListing {
  id: string;
  shop_sku_code: string;
  offer_id: string | null;
  sku_id: string | null;
  retail_price_amount: string;
  currency: string;
  platform_product_id: string | null;
  platform_variant_id: string | null;
  platform_inventory_item_id: string | null;
}

interface PlannedListing {
  variant: PlatformVariant;
  offerId: string;
  existing: StoredListing | undefined;
}

/**
 * A distributor's platform products mapped to offers in one call: each variant whose SKU code is the
 * code of the origin SKU of exactly one offer available to it becomes (or updates) the shop's listing
 * of that code, at the platform's price, with the platform's ids. What does not match is reported.
 */
@Injectable()
export class PlatformListingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly channels: ChannelsService,
    private readonly offers: AvailableOffersByCodeService,
    private readonly outbox: OutboxService,
  ) {}

  async mapExport(actor: ActorContext, shopId: string, platform: CatalogPlatform, data: LosslessJson, currency: Currency = 'CNY'): Promise<PlatformListingsReportDto> {
    const shop = await whenNotFound(this.channels.findShop(actor, shopId), () => new DomainError('not_found', 'shop_not_found', `You have no shop ${shopId}.`));
    if (shop.integration !== platform) {
      const is = shop.integration === 'native' ? 'not a platform shop (its integration is native)' : `a ${shop.integration} shop`;
      throw new DomainError('invalid', 'shop_platform_mismatch', `Shop ${shop.id} is ${is}: map a ${platform} export onto a shop whose integration is ${platform}.`, [
        { field: 'platform', reason: `shop ${shop.id} is ${is}` },
      ]);
    }
    const read = readPlatformExport(platform, data, { codePattern: SHOP_SKU_CODE, requireTitle: false });
    const available = await this.offers.offersBySkuCode(
      actor,
      read.variants.map((variant) => variant.skuCode),
    );
    const stored = await this.storedListings(
      shop.id,
      read.variants.map((variant) => variant.skuCode),
    );
    // In export order: a row where the variant cannot be listed, the plan where it can.
    const slots: (PlatformListingRowDto | PlannedListing)[] = read.variants.map((variant) => {
      const match = matchOf(available.get(variant.skuCode) ?? [], stored.get(variant.skuCode), currency);
      if ('reason' in match)
        return { ...rowOf(variant), outcome: 'unmatched', listingId: null, offerId: null, retailPrice: null, reason: match.reason, message: UNMATCHED_MESSAGES[match.reason], ...match.extra };
      return { variant, offerId: match.offerId, existing: stored.get(variant.skuCode) };
    });
    const planned = slots.filter((slot): slot is PlannedListing => 'variant' in slot);
    const written = await this.write(actor, shop.id, currency, planned);
    const rows: PlatformListingRowDto[] = slots.map((slot) => {
      if (!('variant' in slot)) return slot;
      const outcome = !slot.existing ? 'listed' : written.changed.has(slot.existing.id) ? 'updated' : 'unchanged';
      return {
        ...rowOf(slot.variant),
        outcome,
        listingId: slot.existing?.id ?? written.created.get(slot.variant.skuCode) ?? null,
        offerId: slot.offerId,
        retailPrice: money(slot.variant.priceAmount!, currency),
        reason: null,
        message: null,
      };
    });
    for (const skipped of read.skipped) {
      rows.push({ ...skipped, platformInventoryItemId: null, outcome: 'unmatched', listingId: null, offerId: null, retailPrice: null });
    }
    const count = (outcome: PlatformListingRowDto['outcome']) => rows.filter((row) => row.outcome === outcome).length;
    return { platform, shopId: shop.id, products: read.products, listed: count('listed'), updated: count('updated'), unchanged: count('unchanged'), unmatched: count('unmatched'), rows };
  }

  private async storedListings(shopId: string, codes: string[]): Promise<Map<string, StoredListing>> {
    const rows = await sqlRows<StoredListing>(
      this.em,
      `select id::text as id, shop_sku_code, offer_id::text as offer_id, sku_id::text as sku_id, retail_price_amount::text as retail_price_amount, currency,
              platform_product_id, platform_variant_id, platform_inventory_item_id
         from listing where shop_id = ? and shop_sku_code = any(?::text[])`,
      [shopId, codes],
    );
    return new Map(rows.map((row) => [row.shop_sku_code, row]));
  }

  /** New listings in one statement, changed ones in another, and one availability event for them all, in one transaction. */
  private async write(actor: ActorContext, shopId: string, currency: string, planned: PlannedListing[]): Promise<{ created: Map<string, string>; changed: Set<string> }> {
    const fresh = planned.filter((item) => !item.existing);
    const changes = planned.filter((item) => item.existing && listingDiffers(item));
    const columns = (items: PlannedListing[]) => [
      items.map((item) => item.offerId),
      items.map((item) => String(item.variant.priceAmount)),
      items.map((item) => item.variant.platformProductId),
      items.map((item) => item.variant.platformVariantId),
      items.map((item) => item.variant.platformInventoryItemId),
    ];
    return this.em.transactional(async (em) => {
      const created =
        fresh.length === 0
          ? []
          : await sqlRows<{ id: string; shop_sku_code: string }>(
              em,
              `insert into listing (merchant_id, shop_id, shop_sku_code, offer_id, retail_price_amount, currency, platform_product_id, platform_variant_id, platform_inventory_item_id)
               select ?, ?, r.code, r.offer_id, r.amount, ?, r.product_id, r.variant_id, r.inventory_item_id
                 from unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[]) as r(code, offer_id, amount, product_id, variant_id, inventory_item_id)
               on conflict (shop_id, shop_sku_code) do nothing returning id::text as id, shop_sku_code`,
              [actor.merchantId, shopId, currency, fresh.map((item) => item.variant.skuCode), ...columns(fresh)],
            );
      if (changes.length > 0) {
        await sqlRows(
          em,
          `update listing l set offer_id = r.offer_id, retail_price_amount = r.amount, platform_product_id = r.product_id, platform_variant_id = r.variant_id,
                                platform_inventory_item_id = r.inventory_item_id, updated_at = now()
             from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[]) as r(id, offer_id, amount, product_id, variant_id, inventory_item_id)
            where l.id = r.id and l.shop_id = ? returning l.id`,
          [changes.map((item) => item.existing!.id), ...columns(changes), shopId],
        );
      }
      const listingIds = [...created.map((row) => row.id), ...changes.map((item) => item.existing!.id)];
      if (listingIds.length > 0) {
        await this.outbox.append(em, [{ type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `listing:${listingIds[0]}`, payload: { listingIds } }]);
      }
      return { created: new Map(created.map((row) => [row.shop_sku_code, row.id])), changed: new Set(changes.map((item) => item.existing!.id)) };
    });
  }
}

const rowOf = (variant: PlatformVariant) => ({
  platformProductId: variant.platformProductId,
  platformVariantId: variant.platformVariantId,
  platformInventoryItemId: variant.platformInventoryItemId,
  skuCode: variant.skuCode,
});

/** The one offer a variant's code names, or why there is none to list. */
function matchOf(offers: OfferBySkuCode[], existing: StoredListing | undefined, currency: string): { offerId: string } | { reason: string; extra?: { candidateOfferIds: string[] } } {
  if (existing && existing.sku_id !== null) return { reason: 'own_sku_listing' };
  if (existing && existing.currency !== currency) return { reason: 'currency_mismatch' };
  if (offers.length === 0) return { reason: 'no_offer' };
  if (offers.length > 1) return { reason: 'ambiguous_offer', extra: { candidateOfferIds: offers.map((offer) => offer.offerId) } };
  if (offers[0].currency !== currency) return { reason: 'currency_mismatch' };
  return { offerId: offers[0].offerId };
}

function listingDiffers(item: PlannedListing): boolean {
  const stored = item.existing!;
  return (
    stored.offer_id !== item.offerId ||
    Number(stored.retail_price_amount) !== item.variant.priceAmount ||
    stored.platform_product_id !== item.variant.platformProductId ||
    stored.platform_variant_id !== item.variant.platformVariantId ||
    stored.platform_inventory_item_id !== item.variant.platformInventoryItemId
  );
}
