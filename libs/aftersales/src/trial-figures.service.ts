import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ActorContext, DomainError } from '@gongxiao/core';
import { hasBoughtOffer, trialLinesOf } from '@gongxiao/fulfillment';
import { OfferTrialsService, OffersService, presentTrial, trialKey, TrialFiguresResponseDto } from '@gongxiao/offers';
import { acceptedReturnUnitsOfLines } from './returned-units.query';

/**
 * The seam for reviews (the quality context provides it when it exists): bad reviews of these
 * fulfillment lines, or null when no reviews are known. Provide `BAD_REVIEWS_SOURCE` to connect one.
 */
export interface BadReviewsSource {
  badReviewsOfLines(em: EntityManager, fulfillmentOrderLineIds: string[]): Promise<number | null>;
}
export const BAD_REVIEWS_SOURCE = Symbol('BAD_REVIEWS_SOURCE');

/**
 * A buyer's trial of an offer (五折试销), to decide whether to go on: units taken at the trial price,
 * shipped, returned (trial units first: a return of a line that straddles the limit counts against its
 * trial units), and bad reviews when a reviews source is connected. Only the buyer's own hop.
 */
@Injectable()
export class TrialFiguresService {
  constructor(
    private readonly em: EntityManager,
    private readonly offers: OffersService,
    private readonly trials: OfferTrialsService,
    @Optional() @Inject(BAD_REVIEWS_SOURCE) private readonly reviews?: BadReviewsSource,
  ) {}

  async figures(actor: ActorContext, offerId: string): Promise<TrialFiguresResponseDto> {
    await this.assertBuyer(actor, offerId);
    const lines = await trialLinesOf(this.em, offerId, actor.merchantId);
    const returned = await acceptedReturnUnitsOfLines(
      this.em,
      lines.map((line) => line.fulfillmentOrderLineId),
    );
    const terms = (await this.trials.termsOf(this.em, [offerId])).get(offerId);
    const taken = terms ? ((await this.trials.unitsTaken(this.em, [{ offerId, buyerMerchantId: actor.merchantId }])).get(trialKey(offerId, actor.merchantId)) ?? 0) : 0;
    const ids = lines.map((line) => line.fulfillmentOrderLineId);
    return {
      offerId,
      trial: terms ? { ...presentTrial(terms), unitsLeft: Math.max(0, terms.unitsPerBuyer - taken) } : null,
      unitsAtTrialPrice: lines.reduce((sum, line) => sum + line.trialUnits, 0),
      unitsShipped: lines.reduce((sum, line) => sum + line.trialUnitsShipped, 0),
      unitsReturned: lines.reduce((sum, line) => sum + Math.min(returned.get(line.fulfillmentOrderLineId) ?? 0, line.trialUnitsShipped), 0),
      orders: new Set(lines.filter((line) => line.trialUnits > 0).map((line) => line.channelOrderId)).size,
      badReviews: this.reviews && ids.length > 0 ? await this.reviews.badReviewsOfLines(this.em, ids) : this.reviews ? 0 : null,
    };
  }

  /** The offer is available to the merchant now, or it bought it before (its figures outlive the offer); else 404. */
  private async assertBuyer(actor: ActorContext, offerId: string): Promise<void> {
    try {
      await this.offers.findAvailable(actor, offerId, 'offerId');
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'not_found' || !/^\d{1,18}$/.test(offerId) || !(await hasBoughtOffer(this.em, offerId, actor.merchantId))) throw error;
    }
  }
}
