import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, isId, NotFoundError, Page, PageQueryDto, pageWindow, sqlOne, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { CreateDelistingRuleDto, DelistingRuleResponseDto, UpdateDelistingRuleDto } from './delisting.dto';

export interface DelistingRuleRow {
  id: string;
  merchant_id: string;
  target: string;
  sku_id: string | null;
  metric: string;
  threshold_basis_points: number;
  min_orders: number;
  window_days: number;
  action: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export function presentRule(row: DelistingRuleRow): DelistingRuleResponseDto {
  return {
    id: String(row.id),
    target: row.target,
    skuId: row.sku_id === null ? null : String(row.sku_id),
    metric: row.metric,
    thresholdPercent: row.threshold_basis_points / 100,
    minOrders: row.min_orders,
    windowDays: row.window_days,
    action: row.action,
    enabled: row.enabled,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Percent with at most two decimals to basis points (exact: 5.07 → 507). */
const basisPoints = (percent: number) => Math.round(percent * 100);

/**
 * A merchant's delisting rules (下架规则): over the goods it sells (target listings: its shop listings) or
 * publishes (target offers). Another merchant's rule is not found.
 */
@Injectable()
export class DelistingRulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async list(actor: ActorContext, query: PageQueryDto): Promise<Page<DelistingRuleResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<DelistingRuleRow>(this.em, `select * from delisting_rule where merchant_id = ? and (?::bigint is null or id > ?::bigint) order by id limit ?`, [
      actor.merchantId,
      after,
      after,
      limit + 1,
    ]);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      presentRule,
    );
  }

  async create(actor: ActorContext, input: CreateDelistingRuleDto): Promise<DelistingRuleResponseDto> {
    await this.assertSku(input.skuId);
    const row = (await sqlOne<DelistingRuleRow>(
      this.em,
      `insert into delisting_rule (merchant_id, target, sku_id, metric, threshold_basis_points, min_orders, window_days, action, enabled)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
      [actor.merchantId, input.target, input.skuId ?? null, input.metric, basisPoints(input.thresholdPercent), input.minOrders, input.windowDays, input.action, input.enabled ?? true],
    ))!;
    return presentRule(row);
  }

  async update(actor: ActorContext, ruleId: string, input: UpdateDelistingRuleDto): Promise<DelistingRuleResponseDto> {
    const own = await this.findOwn(actor, ruleId);
    if (Object.values(input).every((value) => value === undefined)) throw ValidationFailedError.field('enabled', 'nothing to change: give at least one field');
    await this.assertSku(input.skuId);
    const row = (await sqlOne<DelistingRuleRow>(
      this.em,
      `update delisting_rule set target = ?, sku_id = ?, metric = ?, threshold_basis_points = ?, min_orders = ?, window_days = ?, action = ?, enabled = ?, updated_at = now()
        where id = ? returning *`,
      [
        input.target ?? own.target,
        input.skuId === undefined ? own.sku_id : input.skuId,
        input.metric ?? own.metric,
        input.thresholdPercent === undefined ? own.threshold_basis_points : basisPoints(input.thresholdPercent),
        input.minOrders ?? own.min_orders,
        input.windowDays ?? own.window_days,
        input.action ?? own.action,
        input.enabled ?? own.enabled,
        own.id,
      ],
    ))!;
    return presentRule(row);
  }

  /** Deletes the rule; its delistings go with it, but what they suspended stays suspended only until reinstated — so a rule with an active suspension cannot be deleted. */
  async remove(actor: ActorContext, ruleId: string): Promise<void> {
    const own = await this.findOwn(actor, ruleId);
    const active = await sqlOne<{ id: string }>(this.em, `select id::text from delisting where rule_id = ? and status = 'suspended' limit 1`, [own.id]);
    if (active) {
      throw new ConflictError('delisting_rule_in_use', `Delisting ${active.id} of this rule still suspends goods: reinstate it first, or disable the rule.`);
    }
    await sqlRows(this.em, `delete from delisting_rule where id = ? returning id`, [own.id]);
  }

  async findOwn(actor: ActorContext, ruleId: string): Promise<DelistingRuleRow> {
    const row = isId(ruleId) ? await sqlOne<DelistingRuleRow>(this.em, `select * from delisting_rule where id = ? and merchant_id = ?`, [ruleId, actor.merchantId]) : undefined;
    if (!row) throw new NotFoundError('delisting rule', ruleId);
    return row;
  }

  private async assertSku(skuId: string | null | undefined): Promise<void> {
    if (!skuId) return;
    if (!(await this.catalog.skusById([skuId])).has(skuId)) throw ValidationFailedError.field('skuId', 'no such SKU');
  }
}
