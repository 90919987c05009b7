import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isId, OutboxJobData, OutboxJobHandler, OutboxService, sqlOne, UnrecoverableError } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { QualitySettingsService } from './quality-settings.service';

/**
 * A consumer review arrived: the supplier of the reviewed goods is told (`review.received`, one
 * delivery per subscription and review). The place where later rules (automatic delisting) react.
 */
@Injectable()
export class ReviewReceivedJob implements OutboxJobHandler<'review.received'> {
  readonly eventType = 'review.received' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
    private readonly settings: QualitySettingsService,
  ) {}

  async handle(job: OutboxJobData<'review.received'>): Promise<void> {
    const reviewId = job.payload.reviewId;
    if (typeof reviewId !== 'string' || !isId(reviewId)) throw new UnrecoverableError(`Malformed review.received payload: reviewId is ${JSON.stringify(reviewId)}`);
    await this.em.transactional(async (em) => {
      const review = await sqlOne<{ supplier_merchant_id: string; warehouse_id: string; sku_id: string; fulfillment_order_line_id: string; rating: number; text: string | null; reviewed_at: Date }>(
        em,
        `select supplier_merchant_id::text, warehouse_id::text, sku_id::text, fulfillment_order_line_id::text, rating, text, reviewed_at from consumer_review where id = ?`,
        [reviewId],
      );
      if (!review) throw new UnrecoverableError(`Consumer review ${reviewId} does not exist`);
      const maxRating = (await this.settings.badReviewMaxRatings(em, [review.supplier_merchant_id])).get(review.supplier_merchant_id)!;
      await this.webhooks.publish(em, [review.supplier_merchant_id], 'review.received', reviewId, `review-received:${reviewId}`, () => ({
        reviewId,
        skuId: review.sku_id,
        warehouseId: review.warehouse_id,
        fulfillmentOrderLineId: review.fulfillment_order_line_id,
        rating: review.rating,
        bad: review.rating <= maxRating,
        text: review.text,
        reviewedAt: new Date(review.reviewed_at).toISOString(),
      }));
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
