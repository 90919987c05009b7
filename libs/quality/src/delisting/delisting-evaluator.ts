import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlRows } from '@gongxiao/core';
import { consumerReturnsByKey } from '@gongxiao/aftersales';
import { salesQualityLines, SalesQualityLine } from '@gongxiao/fulfillment';
import { DEFAULT_BAD_REVIEW_MAX_RATING } from '../quality.dto';
import { DelistingActionsService, Firing } from './delisting-actions.service';
import { figuresOf, fires, JudgedLine, percentOf } from './delisting-judgement';
import { DelistingMetric } from './delisting.dto';
import { DelistingRuleRow, presentRule } from './delisting-rules.service';

/** At most this many fulfillment order ids are kept in a delisting's evidence (with the true count). */
export const EVIDENCE_ORDER_IDS_MAX = 1000;

interface Candidate extends DelistingRuleRow {
  eval_sku_id: string;
  since: Date;
}

const keyOf = (candidate: Candidate) => `${candidate.id}:${candidate.eval_sku_id}`;

/**
 * Evaluates every enabled rule that applies to these origin SKUs (its own SKU, or every SKU its owner sells),
 * set-based whatever the number of rules: one statement for the candidates (a rule × SKU without an active
 * delisting, its window starting no earlier than its last reinstatement), one for their lines (fulfillment),
 * one for their returns (after-sales), one for their reviews (here); the firings are recorded and applied
 * by `DelistingActionsService`.
 */
@Injectable()
export class DelistingEvaluator {
  constructor(private readonly actions: DelistingActionsService) {}

  async evaluate(em: EntityManager, skuIds: string[], now: Date = new Date()): Promise<string[]> {
    if (skuIds.length === 0) return [];
    const candidates = await this.candidates(em, skuIds, now);
    if (candidates.length === 0) return [];
    const lines = await salesQualityLines(
      em,
      candidates.map((candidate) => ({ key: keyOf(candidate), sellerMerchantId: String(candidate.merchant_id), skuId: candidate.eval_sku_id, since: new Date(candidate.since) })),
      now,
    );
    const metricOf = new Map(candidates.map((candidate) => [keyOf(candidate), candidate.metric as DelistingMetric]));
    const returned = await this.returnedUnits(em, lines, metricOf);
    const bad = await badOfLines(
      em,
      lines.filter((line) => metricOf.get(line.key) === 'bad_review_rate').map((line) => line.lineId),
    );
    const byKey = new Map<string, JudgedLine[]>();
    for (const line of lines) byKey.set(line.key, [...(byKey.get(line.key) ?? []), { ...line, bad: bad.get(line.lineId) }]);
    const firings: Firing[] = [];
    for (const candidate of candidates) {
      const figures = figuresOf(candidate.metric as DelistingMetric, byKey.get(keyOf(candidate)) ?? [], returned.get(keyOf(candidate)) ?? 0);
      if (!fires(figures, { thresholdBasisPoints: candidate.threshold_basis_points, minOrders: candidate.min_orders })) continue;
      firings.push({
        ruleId: String(candidate.id),
        merchantId: String(candidate.merchant_id),
        skuId: candidate.eval_sku_id,
        target: candidate.target as Firing['target'],
        action: candidate.action as Firing['action'],
        evidence: {
          metric: candidate.metric,
          valuePercent: percentOf(figures),
          thresholdPercent: candidate.threshold_basis_points / 100,
          numerator: figures.numerator,
          denominator: figures.denominator,
          ordersCounted: figures.orderIds.length,
          orderIds: figures.orderIds.slice(0, EVIDENCE_ORDER_IDS_MAX),
          windowFrom: new Date(candidate.since).toISOString(),
          windowTo: now.toISOString(),
          rule: presentRule(candidate),
        },
      });
    }
    return this.actions.fire(em, firings);
  }

  /** Enabled rules × these SKUs with no active delisting; the window starts at the later of now − windowDays and the last reinstatement. */
  private candidates(em: EntityManager, skuIds: string[], now: Date): Promise<Candidate[]> {
    return sqlRows<Candidate>(
      em,
      `select r.*, s.sku_id::text as eval_sku_id,
              greatest(?::timestamptz - make_interval(days => r.window_days),
                       coalesce((select max(d.reinstated_at) from delisting d where d.rule_id = r.id and d.sku_id = s.sku_id and d.status = 'reinstated'), '-infinity'::timestamptz)) as since
         from unnest(?::bigint[]) as s(sku_id)
         join delisting_rule r on r.enabled and (r.sku_id = s.sku_id or r.sku_id is null)
        where not exists (select 1 from delisting d where d.rule_id = r.id and d.sku_id = s.sku_id and d.status <> 'reinstated')`,
      [now.toISOString(), [...new Set(skuIds)]],
    );
  }

  private async returnedUnits(em: EntityManager, lines: SalesQualityLine[], metricOf: Map<string, DelistingMetric>): Promise<Map<string, number>> {
    const counted = lines.filter((line) => metricOf.get(line.key) === 'return_rate');
    const returns = await consumerReturnsByKey(em, { lineIds: counted.map((line) => line.lineId), keys: counted.map((line) => line.key) });
    const result = new Map<string, number>();
    for (const item of returns) result.set(item.key, (result.get(item.key) ?? 0) + item.units);
    return result;
  }
}

/** Each line's latest review, bad by its supplier's setting (as scorecards count them): one statement. */
async function badOfLines(em: EntityManager, lineIds: string[]): Promise<Map<string, boolean>> {
  if (lineIds.length === 0) return new Map();
  const rows = await sqlRows<{ line_id: string; bad: boolean }>(
    em,
    `select r.fulfillment_order_line_id::text as line_id, r.rating <= coalesce(q.bad_review_max_rating, ?) as bad
       from (select distinct on (c.fulfillment_order_line_id) c.* from consumer_review c
              where c.fulfillment_order_line_id = any(?::bigint[]) order by c.fulfillment_order_line_id, c.reviewed_at desc, c.id desc) r
       left join quality_settings q on q.merchant_id = r.supplier_merchant_id`,
    [DEFAULT_BAD_REVIEW_MAX_RATING, lineIds],
  );
  return new Map(rows.map((row) => [row.line_id, row.bad === true]));
}
