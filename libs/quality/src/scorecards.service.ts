import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ReadReplica, sqlRows } from '@gongxiao/core';
import { consumerReturnsByKey } from '@gongxiao/aftersales';
import { CatalogService } from '@gongxiao/catalog';
import { ScorecardWindow, scorecardLines, shippingFigures, ShippingFigures, unitFigures, UnitFigures } from '@gongxiao/fulfillment';
import { MerchantsService } from '@gongxiao/merchants';
import { DEFAULT_BAD_REVIEW_MAX_RATING, ScorecardQueryDto, ScorecardResponseDto, ScorecardRowDto } from './quality.dto';

const DAY = 86_400_000;
/** A share or rate to four decimals; null when there is nothing to take it over. */
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const hours = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

interface ReviewFigures {
  reviewed: number;
  bad: number;
}

/**
 * Service-standard scorecards over a rolling window (by routing time): per supplier, warehouse or
 * SKU, over the lines the caller sells — a supplier its own goods, a distributor the lines of its
 * shops' orders, a broker the lines it is a seller on — never another seller's sales. Each concern
 * is one set-based statement in the library that owns its rows (fulfillment: shipping, units,
 * tracking, interceptions; after-sales: returns; quality: reviews), batch-shaped across the walls.
 */
@Injectable()
export class ScorecardsService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly merchants: MerchantsService,
    private readonly replica: ReadReplica,
  ) {}

  async scorecard(actor: ActorContext, query: ScorecardQueryDto, now: Date = new Date()): Promise<ScorecardResponseDto> {
    const days = Number(query.days ?? '30');
    const window: ScorecardWindow = { viewerMerchantId: actor.merchantId, scope: query.scope, since: new Date(now.getTime() - days * DAY), until: now };
    const reader = await this.replica.reader(this.em);
    const shipping = new Map((await shippingFigures(reader, window)).map((row) => [row.key, row]));
    const units = new Map((await unitFigures(reader, window)).map((row) => [row.key, row]));
    const lines = await scorecardLines(reader, window);
    const returns = await consumerReturnsByKey(reader, lines);
    const reviews = await this.reviewFigures(lines);
    const labels = await this.labels(query.scope, [...units.keys()]);
    const data = [...units.keys()].map((key) =>
      toRow(
        key,
        labels.get(key) ?? null,
        shipping.get(key),
        units.get(key)!,
        returns.filter((item) => item.key === key),
        reviews.get(key),
      ),
    );
    data.sort((a, b) => (a.label ?? a.id).localeCompare(b.label ?? b.id) || a.id.localeCompare(b.id));
    return { scope: query.scope, days, from: window.since.toISOString(), to: window.until.toISOString(), data };
  }

  /** Reviewed and badly reviewed lines per key (bad by the reviewed goods' supplier's setting): one statement. */
  private async reviewFigures(lines: { lineIds: string[]; keys: string[] }): Promise<Map<string, ReviewFigures>> {
    if (lines.lineIds.length === 0) return new Map();
    const rows = await sqlRows<{ key: string; reviewed: number; bad: number }>(
      this.em,
      `select k.key, count(distinct r.fulfillment_order_line_id)::int as reviewed,
              count(distinct r.fulfillment_order_line_id) filter (where r.rating <= coalesce(q.bad_review_max_rating, ?))::int as bad
         from unnest(?::bigint[], ?::text[]) as k(line_id, key)
         -- A changed rating comes as a new review: each line counts by its latest one.
         join lateral (select * from consumer_review c where c.fulfillment_order_line_id = k.line_id order by c.reviewed_at desc, c.id desc limit 1) r on true
         left join quality_settings q on q.merchant_id = r.supplier_merchant_id
        group by k.key`,
      [DEFAULT_BAD_REVIEW_MAX_RATING, lines.lineIds, lines.keys],
    );
    return new Map(rows.map((row) => [row.key, { reviewed: row.reviewed, bad: row.bad }]));
  }

  private async labels(scope: ScorecardQueryDto['scope'], keys: string[]): Promise<Map<string, string>> {
    if (scope === 'supplier') return this.merchants.namesOf(keys);
    if (scope === 'warehouse') {
      const sellers = await this.merchants.namesOf(keys.filter((key) => key.startsWith('seller:')).map((key) => key.slice('seller:'.length)));
      const warehouses = await this.catalog.warehousesById(keys.filter((key) => !key.startsWith('seller:')));
      return new Map([
        ...[...warehouses.values()].map((warehouse) => [String(warehouse.id), warehouse.code] as [string, string]),
        ...[...sellers].map(([id, name]) => [`seller:${id}`, name] as [string, string]),
      ]);
    }
    return new Map([...(await this.catalog.skusById(keys)).values()].map((sku) => [String(sku.id), `${sku.code} ${sku.name}`]));
  }
}

function toRow(
  key: string,
  label: string | null,
  shipping: ShippingFigures | undefined,
  units: UnitFigures,
  returns: { reason: string; units: number }[],
  reviews: ReviewFigures | undefined,
): ScorecardRowDto {
  const returned = returns.reduce((sum, item) => sum + item.units, 0);
  const reviewed = reviews?.reviewed ?? 0;
  const bad = reviews?.bad ?? 0;
  return {
    id: key,
    label,
    ordersRouted: shipping?.orders ?? 0,
    ordersShippedOnTime: shipping?.onTime ?? 0,
    ordersDue: shipping?.due ?? 0,
    onTimeShare: rate(shipping?.onTime ?? 0, shipping?.due ?? 0),
    avgHoursToShip: hours(shipping?.avgHoursToShip ?? null),
    p90HoursToShip: hours(shipping?.p90HoursToShip ?? null),
    overdueNow: shipping?.overdueNow ?? 0,
    shipments: units.shipments,
    validTrackingShare: rate(units.validTracking, units.shipments),
    unitsOrdered: units.unitsOrdered,
    unitsCancelled: units.unitsCancelled,
    cancellationRate: rate(units.unitsCancelled, units.unitsOrdered),
    unitsShipped: units.unitsShipped,
    unitsReturned: returned,
    returnRate: rate(returned, units.unitsShipped),
    returnsByReason: returns
      .map((item) => ({ reason: item.reason, units: item.units, rate: rate(item.units, units.unitsShipped) ?? 0 }))
      .sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason)),
    linesShipped: units.linesShipped,
    linesReviewed: reviewed,
    linesBadReviewed: bad,
    badReviewRate: rate(bad, reviewed),
    badReviewPerShippedLine: rate(bad, units.linesShipped),
    interceptionRequests: units.interceptions,
    interceptionSuccessRate: rate(units.intercepted, units.interceptions),
  };
}
