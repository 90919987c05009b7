import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, outboxInsertSql, sqlOne, ValidationFailedError } from '@gongxiao/core';
import { fulfillmentLinesOfChannelLines, ReviewedLine } from '@gongxiao/fulfillment';
import { channelOrderLines, ChannelOrderLineRow, OrdersService } from '@gongxiao/orders';
import { PushReviewDto, ReviewReceiptDto } from './quality.dto';
import { QualitySettingsService } from './quality-settings.service';

interface ReviewRow {
  id: string;
  external_review_id: string;
  fulfillment_order_line_id: string;
  supplier_merchant_id: string;
  rating: number;
  reviewed_at: Date;
  content_hash: string;
}

const unprocessable = (code: string, field: string, message: string) => new DomainError('unprocessable', code, message, [{ field, reason: message }]);

/** What a repeat is compared on: everything the shop sent, in a fixed order. */
function contentHash(input: PushReviewDto): string {
  const canonical = [input.externalOrderId, input.externalLineId ?? null, input.lineNo ?? null, input.shopSkuCode ?? null, input.rating, input.text ?? null, input.createdAt ?? null];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * A shop pushes a consumer's review of one line of one of its orders. It is resolved to the
 * fulfillment line it is about (supplier, warehouse, SKU) and stored with its `review.received`
 * event in one statement. Idempotent on (shop, externalReviewId).
 */
@Injectable()
export class PushReviewService {
  constructor(
    private readonly em: EntityManager,
    private readonly orders: OrdersService,
    private readonly settings: QualitySettingsService,
  ) {}

  async push(shop: { id: string; merchantId: string }, input: PushReviewDto): Promise<{ receipt: ReviewReceiptDto; created: boolean }> {
    return this.em.transactional(async (em) => {
      const hash = contentHash(input);
      const existing = await this.findExisting(em, shop.id, input.externalReviewId);
      if (existing) return { receipt: await this.receipt(em, existing, hash), created: false };
      const channelOrderId = await this.orders.idOfExternal(shop.id, input.externalOrderId).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw unprocessable('review_order_unknown', 'externalOrderId', `No order ${input.externalOrderId} was pushed by this shop.`);
        throw error;
      });
      const line = chooseLine(await channelOrderLines(em, channelOrderId), input);
      const reviewed = (await fulfillmentLinesOfChannelLines(em, [line.id])).get(line.id);
      if (!reviewed) throw unprocessable('review_line_not_routed', lineField(input), `Line ${line.line_no} of order ${input.externalOrderId} was not routed to a supplier yet: review it once it is.`);
      if (reviewed.shippedQuantity === 0)
        throw unprocessable(
          'review_line_not_shipped',
          lineField(input),
          `Line ${line.line_no} of order ${input.externalOrderId} has not shipped (or was cancelled): a review is of goods the consumer received.`,
        );
      const inserted = await insertReview(em, shop, { channelOrderId, line, reviewed, input, hash });
      if (!inserted) return { receipt: await this.receipt(em, (await this.findExisting(em, shop.id, input.externalReviewId))!, hash), created: false };
      return { receipt: { ...(await this.receipt(em, inserted, hash)), duplicate: false }, created: true };
    });
  }

  private findExisting(em: EntityManager, shopId: string, externalReviewId: string): Promise<ReviewRow | undefined> {
    return sqlOne<ReviewRow>(em, `select * from consumer_review where shop_id = ? and external_review_id = ?`, [shopId, externalReviewId]);
  }

  private async receipt(em: EntityManager, row: ReviewRow, hash: string): Promise<ReviewReceiptDto> {
    if (row.content_hash !== hash) {
      throw new ConflictError('review_conflict', `Review ${row.external_review_id} was pushed before with other content: reviews are not edited; push a new externalReviewId.`, [
        { field: 'externalReviewId', reason: 'already received with other content' },
      ]);
    }
    const maxRating = (await this.settings.badReviewMaxRatings(em, [String(row.supplier_merchant_id)])).get(String(row.supplier_merchant_id))!;
    return {
      id: String(row.id),
      externalReviewId: row.external_review_id,
      rating: row.rating,
      bad: row.rating <= maxRating,
      fulfillmentOrderLineId: String(row.fulfillment_order_line_id),
      duplicate: true,
      reviewedAt: new Date(row.reviewed_at).toISOString(),
    };
  }
}

function lineField(input: PushReviewDto): string {
  return input.externalLineId !== undefined ? 'externalLineId' : input.lineNo !== undefined ? 'lineNo' : 'shopSkuCode';
}

/** The one line the review names, by externalLineId, lineNo or shopSkuCode (in that order of preference). */
function chooseLine(lines: ChannelOrderLineRow[], input: PushReviewDto): ChannelOrderLineRow {
  if (input.externalLineId === undefined && input.lineNo === undefined && input.shopSkuCode === undefined) {
    throw new ValidationFailedError('Name the reviewed line: externalLineId, lineNo or shopSkuCode.', [{ field: 'externalLineId', reason: 'externalLineId, lineNo or shopSkuCode is required' }]);
  }
  const field = lineField(input);
  const matches = lines.filter((line) =>
    field === 'externalLineId' ? line.external_line_id === input.externalLineId : field === 'lineNo' ? line.line_no === input.lineNo : line.shop_sku_code === input.shopSkuCode,
  );
  if (matches.length === 0) throw unprocessable('review_line_unknown', field, `Order ${input.externalOrderId} has no line with this ${field}.`);
  if (matches.length > 1)
    throw unprocessable('review_line_ambiguous', field, `Order ${input.externalOrderId} has ${matches.length} lines with this ${field}: name the line by externalLineId or lineNo.`);
  return matches[0];
}

/** The review and its event in one statement; undefined when a concurrent push of the same review won. */
function insertReview(
  em: EntityManager,
  shop: { id: string; merchantId: string },
  review: { channelOrderId: string; line: ChannelOrderLineRow; reviewed: ReviewedLine; input: PushReviewDto; hash: string },
): Promise<ReviewRow | undefined> {
  const { reviewed, input } = review;
  return sqlOne<ReviewRow>(
    em,
    `with review as (
       insert into consumer_review (shop_id, distributor_merchant_id, external_review_id, channel_order_id, channel_order_line_id, fulfillment_order_line_id,
                                    supplier_merchant_id, warehouse_id, sku_id, rating, text, reviewed_at, content_hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::timestamptz, now()), ?)
       on conflict (shop_id, external_review_id) do nothing
       returning *
     ), events as (
       ${outboxInsertSql(`select 'review.received', review.supplier_merchant_id, review.id::text, jsonb_build_object('reviewId', review.id::text) from review`)}
     ), quality as (
       ${outboxInsertSql(`select 'sales_quality.changed', review.supplier_merchant_id, 'sku:' || review.sku_id, jsonb_build_object('skuIds', jsonb_build_array(review.sku_id::text)) from review`)}
     )
     select * from review`,
    [
      shop.id,
      shop.merchantId,
      input.externalReviewId,
      review.channelOrderId,
      review.line.id,
      reviewed.fulfillmentOrderLineId,
      reviewed.supplierMerchantId,
      reviewed.warehouseId,
      reviewed.skuId,
      input.rating,
      input.text ?? null,
      input.createdAt ?? null,
      review.hash,
    ],
  );
}
