import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, sqlOne, sqlRows } from '@gongxiao/core';
import { DEFAULT_BAD_REVIEW_MAX_RATING, QualitySettingsDto, QualitySettingsResponseDto } from './quality.dto';

/**
 * A supplier's quality settings for its goods: what counts as a bad review (rating ≤ 2 unless it
 * says otherwise). The supplier whose goods are reviewed owns the setting, whoever sells them.
 */
@Injectable()
export class QualitySettingsService {
  constructor(private readonly em: EntityManager) {}

  async get(actor: ActorContext): Promise<QualitySettingsResponseDto> {
    const row = await sqlOne<{ bad_review_max_rating: number; updated_at: Date }>(this.em, `select * from quality_settings where merchant_id = ?`, [actor.merchantId]);
    return { badReviewMaxRating: row?.bad_review_max_rating ?? DEFAULT_BAD_REVIEW_MAX_RATING, updatedAt: row ? new Date(row.updated_at).toISOString() : null };
  }

  async put(actor: ActorContext, input: QualitySettingsDto): Promise<QualitySettingsResponseDto> {
    const row = (await sqlOne<{ bad_review_max_rating: number; updated_at: Date }>(
      this.em,
      `insert into quality_settings (merchant_id, bad_review_max_rating) values (?, ?)
       on conflict (merchant_id) do update set bad_review_max_rating = excluded.bad_review_max_rating, updated_at = now()
       returning *`,
      [actor.merchantId, input.badReviewMaxRating],
    ))!;
    return { badReviewMaxRating: row.bad_review_max_rating, updatedAt: new Date(row.updated_at).toISOString() };
  }

  /** The bad-review threshold of each supplier (the default where it set none): one statement. */
  async badReviewMaxRatings(em: EntityManager, supplierMerchantIds: string[]): Promise<Map<string, number>> {
    const rows = supplierMerchantIds.length
      ? await sqlRows<{ merchant_id: string; bad_review_max_rating: number }>(em, `select merchant_id::text, bad_review_max_rating from quality_settings where merchant_id = any(?::bigint[])`, [
          supplierMerchantIds,
        ])
      : [];
    const result = new Map(supplierMerchantIds.map((id) => [id, DEFAULT_BAD_REVIEW_MAX_RATING]));
    for (const row of rows) result.set(row.merchant_id, row.bad_review_max_rating);
    return result;
  }
}
