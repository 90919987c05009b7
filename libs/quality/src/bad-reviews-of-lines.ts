import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlOne } from '@gongxiao/core';
import type { BadReviewsSource } from '@gongxiao/aftersales';
import { DEFAULT_BAD_REVIEW_MAX_RATING } from './quality.dto';

/**
 * After-sales' seam for a buyer's trial figures (五折试销): the bad reviews of these fulfillment lines,
 * each line by its latest review (a changed rating comes as a new one), judged by its supplier's own
 * threshold (rating ≤ 2 unless it set another). One statement.
 */
@Injectable()
export class BadReviewsOfLines implements BadReviewsSource {
  async badReviewsOfLines(em: EntityManager, fulfillmentOrderLineIds: string[]): Promise<number | null> {
    if (fulfillmentOrderLineIds.length === 0) return 0;
    const row = await sqlOne<{ bad: number }>(
      em,
      `select count(*)::int as bad
         from (select distinct on (c.fulfillment_order_line_id) c.* from consumer_review c
                where c.fulfillment_order_line_id = any(?::bigint[]) order by c.fulfillment_order_line_id, c.reviewed_at desc, c.id desc) r
         left join quality_settings s on s.merchant_id = r.supplier_merchant_id
        where r.rating <= coalesce(s.bad_review_max_rating, ?)`,
      [fulfillmentOrderLineIds, DEFAULT_BAD_REVIEW_MAX_RATING],
    );
    return row?.bad ?? 0;
  }
}
