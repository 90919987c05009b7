import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, isId, NotFoundError, Page, pageWindow, sqlOne, sqlRows, toPage } from '@gongxiao/core';
import { DelistingActionsService } from './delisting-actions.service';
import { DelistingEvidenceDto, DelistingResponseDto, ListDelistingsQueryDto } from './delisting.dto';

interface DelistingRow {
  id: string;
  rule_id: string;
  merchant_id: string;
  sku_id: string;
  status: string;
  evidence: DelistingEvidenceDto;
  suspended_offer_ids: string[];
  paused_listing_ids: string[];
  created_at: Date;
  reinstated_at: Date | null;
  reinstated_by_member_id: string | null;
  reinstatement_reason: string | null;
}

function present(row: DelistingRow): DelistingResponseDto {
  return {
    id: String(row.id),
    ruleId: String(row.rule_id),
    skuId: String(row.sku_id),
    status: row.status,
    evidence: row.evidence,
    suspendedOfferIds: (row.suspended_offer_ids ?? []).map(String),
    pausedListingIds: (row.paused_listing_ids ?? []).map(String),
    createdAt: new Date(row.created_at).toISOString(),
    reinstatedAt: row.reinstated_at ? new Date(row.reinstated_at).toISOString() : null,
    reinstatedByMemberId: row.reinstated_by_member_id === null ? null : String(row.reinstated_by_member_id),
    reinstatementReason: row.reinstatement_reason,
  };
}

/** A merchant's delistings (自动下架记录), newest first, and their reinstatement (恢复上架) by the rule's owner. */
@Injectable()
export class DelistingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly actions: DelistingActionsService,
  ) {}

  async list(actor: ActorContext, query: ListDelistingsQueryDto): Promise<Page<DelistingResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<DelistingRow>(
      this.em,
      `select * from delisting where merchant_id = ? and (?::bigint is null or id < ?::bigint) and (?::text is null or status = ?::text) and (?::bigint is null or sku_id = ?::bigint)
        order by id desc limit ?`,
      [actor.merchantId, after, after, query.status ?? null, query.status ?? null, query.skuId ?? null, query.skuId ?? null, limit + 1],
    );
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      present,
    );
  }

  async get(actor: ActorContext, delistingId: string): Promise<DelistingResponseDto> {
    return present(await this.findOwn(this.em, actor, delistingId));
  }

  /** Only the offers/listings this delisting suspended return to sale; the rule then counts only lines routed from now on for this SKU. */
  async reinstate(actor: ActorContext, delistingId: string, reason: string): Promise<DelistingResponseDto> {
    return this.em.transactional(async (em) => {
      const own = await this.findOwn(em, actor, delistingId);
      const row = await sqlOne<DelistingRow>(
        em,
        `update delisting set status = 'reinstated', reinstated_at = now(), reinstated_by_member_id = ?, reinstatement_reason = ?
          where id = ? and status <> 'reinstated' returning *`,
        [actor.memberId, reason, own.id],
      );
      if (!row) throw new ConflictError('delisting_reinstated', `Delisting ${own.id} was already reinstated at ${new Date(own.reinstated_at!).toISOString()}.`);
      await this.actions.reinstate(em, { id: String(row.id), merchantId: String(row.merchant_id), skuId: String(row.sku_id), target: row.evidence.rule.target, evidence: row.evidence, reason });
      return present(row);
    });
  }

  private async findOwn(em: EntityManager, actor: ActorContext, delistingId: string): Promise<DelistingRow> {
    const row = isId(delistingId) ? await sqlOne<DelistingRow>(em, `select * from delisting where id = ? and merchant_id = ? for update`, [delistingId, actor.merchantId]) : undefined;
    if (!row) throw new NotFoundError('delisting', delistingId);
    return row;
  }
}
