import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, DomainError, OutboxService, Page, PageQueryDto, pageWindow, sqlOne, sqlRows, toPage, whenNotFound } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { SellingListing } from '@gongxiao/channels';
import { OfferLink } from '@gongxiao/offers';
import { WebhooksService } from '@gongxiao/webhooks';
import { SetStockAlertDto, StockAlertResponseDto } from './availability.dto';

interface StockAlertRow {
  sku_id: string;
  merchant_id: string;
  low_stock_threshold: number;
  state: 'ok' | 'low' | 'out';
  updated_at: Date;
}

function toStockAlertResponse(row: StockAlertRow): StockAlertResponseDto {
  return { skuId: String(row.sku_id), lowStockThreshold: row.low_stock_threshold, state: row.state, updatedAt: new Date(row.updated_at).toISOString() };
}

/** Stock alert rules per SKU (set by its owner) and the events raised when a SKU crosses one. */
@Injectable()
export class StockAlertsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly catalog: CatalogService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** The supplier sets when a SKU counts as low on stock (0 available is always "out"). */
  async set(actor: ActorContext, input: SetStockAlertDto): Promise<StockAlertResponseDto> {
    const sku = await whenNotFound(
      this.catalog.findSku(actor, input.skuId),
      () => new DomainError('not_found', 'sku_not_found', `You have no SKU ${input.skuId}.`, [{ field: 'skuId', reason: 'not one of your SKUs' }]),
    );
    return this.em.transactional(async (em) => {
      const row = (await sqlOne<StockAlertRow>(
        em,
        `insert into stock_alert_rule (sku_id, merchant_id, low_stock_threshold) values (?, ?, ?)
         on conflict (sku_id) do update set low_stock_threshold = excluded.low_stock_threshold, updated_at = now() returning *`,
        [sku.id, actor.merchantId, input.lowStockThreshold],
      ))!;
      await this.outbox.append(em, [{ type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `availability:${actor.merchantId}`, payload: { skuIds: [sku.id] } }]);
      return toStockAlertResponse(row);
    });
  }

  async list(actor: ActorContext, query: PageQueryDto): Promise<Page<StockAlertResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<StockAlertRow>(this.em, `select * from stock_alert_rule where merchant_id = ? and (?::bigint is null or sku_id > ?::bigint) order by sku_id limit ?`, [
      actor.merchantId,
      after,
      after,
      limit + 1,
    ]);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.sku_id) })),
      limit,
      toStockAlertResponse,
    );
  }

  /**
   * A SKU crossing its alert threshold (low, out, back in stock) becomes an event for the supplier
   * and for every merchant with a listing of it, delivered to their webhook subscriptions. Runs in
   * the recompute's transaction, with the figures it just read.
   */
  async raise(em: EntityManager, skuIds: string[], originAvailable: Map<string, number>, listings: SellingListing[], offerById: Map<string, OfferLink>): Promise<void> {
    const rules = await sqlRows<StockAlertRow>(em, `select * from stock_alert_rule where sku_id = any(?::bigint[]) for update`, [skuIds]);
    for (const rule of rules) {
      const skuId = String(rule.sku_id);
      const available = originAvailable.get(skuId) ?? 0;
      const state = available === 0 ? 'out' : available <= rule.low_stock_threshold ? 'low' : 'ok';
      if (state === rule.state) continue;
      const changed = (await sqlOne<{ changed_at: Date }>(em, `update stock_alert_rule set state = ?, updated_at = clock_timestamp() where sku_id = ? returning updated_at as changed_at`, [
        state,
        skuId,
      ]))!;
      const sellers = listings.filter((listing) => (listing.offerId ? offerById.get(listing.offerId)?.originSkuId === skuId : listing.skuId === skuId));
      const merchants = [...new Set([String(rule.merchant_id), ...sellers.map((listing) => listing.merchantId)])];
      const eventType = state === 'ok' ? 'stock.restocked' : state === 'low' ? 'stock.low' : 'stock.out';
      await this.webhooks.publish(em, merchants, eventType, skuId, `stock-alert:${skuId}:${new Date(changed.changed_at).getTime()}`, (merchantId) => ({
        skuId,
        state,
        available: merchantId === String(rule.merchant_id) ? available : undefined,
        lowStockThreshold: merchantId === String(rule.merchant_id) ? rule.low_stock_threshold : undefined,
        listingIds: sellers.filter((listing) => listing.merchantId === merchantId).map((listing) => listing.listingId),
      }));
    }
  }
}
