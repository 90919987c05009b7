import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, isId, NotFoundError, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { CustomizationOption, declaredOptions } from './offer-customization';
import { lockOwnOriginOffer, OriginOnly } from './own-origin-offer';
import { OfferCustomizationResponseDto, SetOfferCustomizationDto } from './offer-customization.dto';

/** The options an offer shows its buyer: the origin offer's own, inherited down every re-share. */
export interface OfferCustomization {
  inherited: boolean;
  currency: string;
  options: CustomizationOption[];
}

export function presentCustomization(offerId: string, customization: OfferCustomization | undefined, currency = 'CNY'): OfferCustomizationResponseDto {
  return {
    offerId,
    inherited: customization?.inherited ?? false,
    currency: customization?.currency ?? currency,
    options: (customization?.options ?? []).map((option) => ({ ...option, choices: option.choices.map((choice) => ({ ...choice })) })),
  };
}

const CUSTOMIZATION_ORIGIN_ONLY: OriginOnly = {
  code: 'customization_origin_only',
  message: "its customization options are the origin supplier's, shown to your buyers as they are. Only the origin offer can declare them.",
  reason: 'a re-share inherits the options of its origin offer',
  action: 'customize',
};

/**
 * Light customization (轻定制) on offers (`offer_customization`, this library's): the origin supplier
 * declares the options; every re-share shows them to its own buyers unchanged, and routing checks
 * each line's customization against them (`optionsOfOrigins`, one statement for a batch).
 */
@Injectable()
export class OfferCustomizationsService {
  constructor(private readonly em: EntityManager) {}

  /** Sets the options of an offer the actor made; only an origin offer (its own goods) may. An empty list removes them. */
  async set(actor: ActorContext, offerId: string, input: SetOfferCustomizationDto): Promise<OfferCustomizationResponseDto> {
    const options = declaredOptions(input.options);
    return this.em.transactional(async (em) => {
      const offer = await lockOwnOriginOffer(em, actor, offerId, CUSTOMIZATION_ORIGIN_ONLY);
      if (options.length === 0) await sqlExec(em, `delete from offer_customization where offer_id = ?`, [offer.id]);
      else
        await sqlExec(
          em,
          `insert into offer_customization (offer_id, options) values (?, ?::jsonb)
           on conflict (offer_id) do update set options = excluded.options, updated_at = now()`,
          [offer.id, JSON.stringify(options)],
        );
      return presentCustomization(offer.id, { inherited: false, currency: offer.currency, options });
    });
  }

  async remove(actor: ActorContext, offerId: string): Promise<OfferCustomizationResponseDto> {
    return this.set(actor, offerId, { options: [] });
  }

  /** The options each offer shows (its origin's), by offer id; offers whose origin declares none are absent. One statement. */
  async forOffers(offerIds: string[], em: EntityManager = this.em): Promise<Map<string, OfferCustomization>> {
    if (offerIds.length === 0) return new Map();
    const rows = await sqlRows<{ start_id: string; origin_id: string; currency: string; options: CustomizationOption[] }>(
      em,
      `with recursive up as (
         select id as start_id, id, upstream_offer_id, 0 as depth from offer where id = any(?::bigint[])
         union all
         select up.start_id, o.id, o.upstream_offer_id, up.depth + 1 from offer o join up on o.id = up.upstream_offer_id where up.depth < 32
       )
       select up.start_id::text, up.id::text as origin_id, o.currency, c.options
         from up join offer o on o.id = up.id join offer_customization c on c.offer_id = up.id
        where up.upstream_offer_id is null`,
      [[...new Set(offerIds)]],
    );
    return new Map(rows.map((row) => [row.start_id, { inherited: row.origin_id !== row.start_id, currency: row.currency.trim(), options: row.options }]));
  }

  /** For routing: the options of these origin offers (the last hop of each chain), by offer id. One statement for a batch. */
  async optionsOfOrigins(em: EntityManager, originOfferIds: string[]): Promise<Map<string, CustomizationOption[]>> {
    if (originOfferIds.length === 0) return new Map();
    const rows = await sqlRows<{ offer_id: string; options: CustomizationOption[] }>(em, `select offer_id::text, options from offer_customization where offer_id = any(?::bigint[])`, [
      [...new Set(originOfferIds)],
    ]);
    return new Map(rows.map((row) => [row.offer_id, row.options]));
  }

  /** The options of an offer the actor made (its own or inherited), for the seller's view. */
  async ofOwn(actor: ActorContext, offerId: string): Promise<OfferCustomizationResponseDto> {
    const offer = isId(offerId)
      ? await sqlOne<{ id: string; currency: string }>(this.em, `select id::text, currency from offer where id = ? and seller_merchant_id = ?`, [offerId, actor.merchantId])
      : undefined;
    if (!offer) throw new NotFoundError('offer', offerId);
    return presentCustomization(offer.id, (await this.forOffers([offer.id])).get(offer.id), offer.currency.trim());
  }
}
