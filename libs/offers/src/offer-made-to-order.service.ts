import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, isId, NotFoundError, OutboxService, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { MadeToOrderTerms, madeToOrderFigure } from './offer-made-to-order';
import { lockOwnOriginOffer, OriginOnly } from './own-origin-offer';
import { MadeToOrderResponseDto, SetMadeToOrderDto } from './offer-made-to-order.dto';

interface TermsRow {
  offer_id: string;
  lead_time_days: number;
  min_batch_units: number;
  max_batch_units: number | null;
  cutoff_weekdays: number[];
  cutoff_time: string;
}

const MADE_TO_ORDER_ORIGIN_ONLY: OriginOnly = {
  code: 'made_to_order_origin_only',
  message: "whether its goods are made to order is the origin supplier's decision, shown to your buyers as it is.",
  reason: 'a re-share inherits the made-to-order terms of its origin offer',
  action: 'make to order',
};

const TERMS_COLUMNS = `t.offer_id::text, t.lead_time_days, t.min_batch_units, t.max_batch_units, t.cutoff_weekdays, t.cutoff_time`;

function termsOf(row: TermsRow): MadeToOrderTerms {
  return {
    offerId: String(row.offer_id),
    leadTimeDays: row.lead_time_days,
    minBatchUnits: row.min_batch_units,
    maxBatchUnits: row.max_batch_units,
    cutoffWeekdays: [...row.cutoff_weekdays].map(Number).sort((a, b) => a - b),
    cutoffTime: row.cutoff_time,
  };
}

export function presentMadeToOrder(offerId: string, terms: (MadeToOrderTerms & { inherited?: boolean }) | undefined): MadeToOrderResponseDto {
  return {
    offerId,
    madeToOrder: terms !== undefined,
    inherited: terms?.inherited ?? false,
    leadTimeDays: terms?.leadTimeDays ?? null,
    minBatchUnits: terms?.minBatchUnits ?? null,
    maxBatchUnits: terms?.maxBatchUnits ?? null,
    cutoffWeekdays: terms?.cutoffWeekdays ?? [],
    cutoffTime: terms?.cutoffTime ?? null,
    statedAvailability: terms ? madeToOrderFigure(terms) : null,
  };
}

/**
 * Made to order (C2M) terms on origin offers (`offer_made_to_order`, this library's): the supplier
 * declares lead time, batch sizes and the cut-off schedule; re-shares show them unchanged. Routing
 * and availability read the terms of origin offers with `madeToOrderOfOrigins` (one statement).
 */
@Injectable()
export class OfferMadeToOrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  /** Makes the actor's origin offer made to order (or changes its terms); runs already open keep the terms they opened with. */
  async set(actor: ActorContext, offerId: string, input: SetMadeToOrderDto): Promise<MadeToOrderResponseDto> {
    const minBatch = input.minBatchUnits ?? 1;
    const maxBatch = input.maxBatchUnits ?? null;
    if (maxBatch !== null && maxBatch < minBatch) throw ValidationFailedError.field('maxBatchUnits', `must be at least minBatchUnits (${minBatch})`);
    const weekdays = [...input.cutoffWeekdays].sort((a, b) => a - b);
    return this.em.transactional(async (em) => {
      const offer = await lockOwnOriginOffer(em, actor, offerId, MADE_TO_ORDER_ORIGIN_ONLY);
      const row = (await sqlOne<TermsRow>(
        em,
        `insert into offer_made_to_order as t (offer_id, lead_time_days, min_batch_units, max_batch_units, cutoff_weekdays, cutoff_time) values (?, ?, ?, ?, ?::int[], ?)
         on conflict (offer_id) do update set lead_time_days = excluded.lead_time_days, min_batch_units = excluded.min_batch_units, max_batch_units = excluded.max_batch_units,
                                              cutoff_weekdays = excluded.cutoff_weekdays, cutoff_time = excluded.cutoff_time, updated_at = now()
         returning ${TERMS_COLUMNS}`,
        [offer.id, input.leadTimeDays, minBatch, maxBatch, weekdays, input.cutoffTime],
      ))!;
      await this.availabilityStale(em, actor, offer);
      return presentMadeToOrder(offer.id, termsOf(row));
    });
  }

  /** The offer goes back to shipping from stock; orders already waiting in a run stay there. */
  async remove(actor: ActorContext, offerId: string): Promise<MadeToOrderResponseDto> {
    return this.em.transactional(async (em) => {
      const offer = await lockOwnOriginOffer(em, actor, offerId, MADE_TO_ORDER_ORIGIN_ONLY);
      await sqlExec(em, `delete from offer_made_to_order where offer_id = ?`, [offer.id]);
      await this.availabilityStale(em, actor, offer);
      return presentMadeToOrder(offer.id, undefined);
    });
  }

  /** The terms of an offer the actor made (its own or inherited from its origin). */
  async ofOwn(actor: ActorContext, offerId: string): Promise<MadeToOrderResponseDto> {
    const offer = isId(offerId) ? await sqlOne<{ id: string }>(this.em, `select id::text from offer where id = ? and seller_merchant_id = ?`, [offerId, actor.merchantId]) : undefined;
    if (!offer) throw new NotFoundError('offer', offerId);
    return presentMadeToOrder(offer.id, (await this.forOffers([offer.id])).get(offer.id));
  }

  /** The terms each offer shows (its origin's), by offer id; offers not made to order are absent. One statement. */
  async forOffers(offerIds: string[], em: EntityManager = this.em): Promise<Map<string, MadeToOrderTerms & { inherited: boolean }>> {
    if (offerIds.length === 0) return new Map();
    const rows = await sqlRows<TermsRow & { start_id: string }>(
      em,
      `with recursive up as (
         select id as start_id, id, upstream_offer_id, 0 as depth from offer where id = any(?::bigint[])
         union all
         select up.start_id, o.id, o.upstream_offer_id, up.depth + 1 from offer o join up on o.id = up.upstream_offer_id where up.depth < 32
       )
       select up.start_id::text, ${TERMS_COLUMNS} from up join offer_made_to_order t on t.offer_id = up.id where up.upstream_offer_id is null`,
      [[...new Set(offerIds)]],
    );
    return new Map(rows.map((row) => [String(row.start_id), { ...termsOf(row), inherited: String(row.start_id) !== String(row.offer_id) }]));
  }

  /** For routing and availability: the terms of these origin offers (the last hop of each chain), by offer id. One statement for a batch. */
  async madeToOrderOfOrigins(em: EntityManager, originOfferIds: string[]): Promise<Map<string, MadeToOrderTerms>> {
    if (originOfferIds.length === 0) return new Map();
    const rows = await sqlRows<TermsRow>(em, `select ${TERMS_COLUMNS} from offer_made_to_order t where t.offer_id = any(?::bigint[])`, [[...new Set(originOfferIds)]]);
    return new Map(rows.map((row) => [String(row.offer_id), termsOf(row)]));
  }

  private async availabilityStale(em: EntityManager, actor: ActorContext, offer: { id: string; origin_sku_id: string }): Promise<void> {
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `offer:${offer.id}`, payload: { skuIds: [offer.origin_sku_id] } }]);
  }
}
