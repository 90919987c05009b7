import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { money, sqlExec, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { OfferTrialDto, OfferTrialResponseDto } from './offer-trial.dto';

/** An offer's trial terms as stored. */
export interface TrialTerms {
  offerId: string;
  priceAmount: number;
  currency: string;
  unitsPerBuyer: number;
  startsAt: Date;
  endsAt: Date;
}

/** What routing may still give one buyer of one offer at the trial price, now. */
export interface TrialAllowance {
  priceAmount: number;
  unitsLeft: number;
}

/** Trial units of one offer that one buyer takes (routing) or gives back (a cancellation). */
export interface TrialUnits {
  offerId: string;
  buyerMerchantId: string;
  units: number;
}

/** "offer:buyer", the key of trial allowances and uses. */
export function trialKey(offerId: string, buyerMerchantId: string): string {
  return `${offerId}:${buyerMerchantId}`;
}

/** A date alone is midnight in the merchants' default time zone (Asia/Shanghai). */
function instant(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value);
}

/**
 * Checks trial terms against the offer's regular price: a trial price in the offer's currency,
 * below the regular price, and a period that ends after it starts. Throws naming the field.
 */
export function trialTermsOf(trial: OfferTrialDto, regular: { amount: number; currency: string }, field = 'trial'): Omit<TrialTerms, 'offerId'> {
  if (trial.price.currency !== regular.currency) throw ValidationFailedError.field(`${field}.price.currency`, `must be ${regular.currency}, the currency of the offer's price`);
  if (trial.price.amount >= regular.amount) throw ValidationFailedError.field(`${field}.price.amount`, `must be below the offer's price (${regular.amount})`);
  const startsAt = instant(trial.startsAt);
  const endsAt = instant(trial.endsAt);
  if (endsAt.getTime() <= startsAt.getTime()) throw ValidationFailedError.field(`${field}.endsAt`, 'must be after startsAt');
  return { priceAmount: trial.price.amount, currency: regular.currency, unitsPerBuyer: trial.unitsPerBuyer, startsAt, endsAt };
}

export function presentTrial(terms: TrialTerms, now = new Date()): OfferTrialResponseDto {
  return {
    price: money(terms.priceAmount, terms.currency),
    unitsPerBuyer: terms.unitsPerBuyer,
    startsAt: terms.startsAt.toISOString(),
    endsAt: terms.endsAt.toISOString(),
    active: terms.startsAt.getTime() <= now.getTime() && now.getTime() < terms.endsAt.getTime(),
  };
}

/**
 * Trial sales (五折试销) on offers: the terms each seller sets (`offer_trial`) and the units each
 * buyer took (`offer_trial_use`). Routing reads the allowances of a whole batch at once and takes
 * the units it planned with one conditional statement, the way stock is reserved: a use never
 * passes the offer's units per buyer, however many batches route at once.
 */
@Injectable()
export class OfferTrialsService {
  /** Sets (or, with null, ends) an offer's trial. Units already taken stay counted. */
  async save(em: EntityManager, offerId: string, terms: Omit<TrialTerms, 'offerId'> | null): Promise<void> {
    if (terms === null) {
      await sqlExec(em, `delete from offer_trial where offer_id = ?`, [offerId]);
      return;
    }
    await sqlExec(
      em,
      `insert into offer_trial (offer_id, price_amount, units_per_buyer, starts_at, ends_at) values (?, ?, ?, ?, ?)
       on conflict (offer_id) do update set price_amount = excluded.price_amount, units_per_buyer = excluded.units_per_buyer,
              starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = now()`,
      [offerId, terms.priceAmount, terms.unitsPerBuyer, terms.startsAt, terms.endsAt],
    );
  }

  /** The trials of these offers, by offer id (offers without one are absent). */
  async termsOf(em: EntityManager, offerIds: string[]): Promise<Map<string, TrialTerms>> {
    if (offerIds.length === 0) return new Map();
    const rows = await sqlRows<{ offer_id: string; price_amount: string; currency: string; units_per_buyer: number; starts_at: Date; ends_at: Date }>(
      em,
      `select t.offer_id::text, t.price_amount::text, o.currency, t.units_per_buyer, t.starts_at, t.ends_at
         from offer_trial t join offer o on o.id = t.offer_id where t.offer_id = any(?::bigint[])`,
      [[...new Set(offerIds)]],
    );
    return new Map(
      rows.map((row) => [
        row.offer_id,
        {
          offerId: row.offer_id,
          priceAmount: Number(row.price_amount),
          currency: row.currency.trim(),
          unitsPerBuyer: row.units_per_buyer,
          startsAt: new Date(row.starts_at),
          endsAt: new Date(row.ends_at),
        },
      ]),
    );
  }

  /** Trial units each buyer has taken of each offer (live: units given back by cancellations are not counted), by `trialKey`. */
  async unitsTaken(em: EntityManager, pairs: { offerId: string; buyerMerchantId: string }[]): Promise<Map<string, number>> {
    if (pairs.length === 0) return new Map();
    const rows = await sqlRows<{ offer_id: string; buyer_merchant_id: string; units_taken: number }>(
      em,
      `select offer_id::text, buyer_merchant_id::text, units_taken from offer_trial_use where (offer_id, buyer_merchant_id) in (select * from unnest(?::bigint[], ?::bigint[]))`,
      [pairs.map((pair) => pair.offerId), pairs.map((pair) => pair.buyerMerchantId)],
    );
    return new Map(rows.map((row) => [trialKey(row.offer_id, row.buyer_merchant_id), row.units_taken]));
  }

  /**
   * For routing, one statement for a batch: per offer × buyer whose offer's trial runs now (the
   * database's clock) and who has units left, the trial price and the units left. Others are absent.
   */
  async allowancesOf(em: EntityManager, pairs: { offerId: string; buyerMerchantId: string }[]): Promise<Map<string, TrialAllowance>> {
    if (pairs.length === 0) return new Map();
    const rows = await sqlRows<{ offer_id: string; buyer_merchant_id: string; price_amount: string; units_left: number }>(
      em,
      `select t.offer_id::text, p.buyer::text as buyer_merchant_id, t.price_amount::text, t.units_per_buyer - coalesce(u.units_taken, 0) as units_left
         from (select distinct * from unnest(?::bigint[], ?::bigint[]) as p(offer_id, buyer)) p
         join offer_trial t on t.offer_id = p.offer_id and t.starts_at <= now() and now() < t.ends_at
         left join offer_trial_use u on u.offer_id = p.offer_id and u.buyer_merchant_id = p.buyer
        where t.units_per_buyer > coalesce(u.units_taken, 0)`,
      [pairs.map((pair) => pair.offerId), pairs.map((pair) => pair.buyerMerchantId)],
    );
    return new Map(rows.map((row) => [trialKey(row.offer_id, row.buyer_merchant_id), { priceAmount: Number(row.price_amount), unitsLeft: row.units_left }]));
  }

  /**
   * Takes the trial units a routing batch planned, all or nothing, in one statement: rows locked in
   * (offer, buyer) order, each use raised only while it stays within the units per buyer, at the
   * planned price and inside the period. Returns false when any could not be taken (a concurrent
   * batch took them, or the seller changed the trial): the caller undoes its attempt and plans again.
   */
  async take(em: EntityManager, takes: (TrialUnits & { priceAmount: number })[]): Promise<boolean> {
    const wanted = sumUnits(takes);
    if (wanted.length === 0) return true;
    const price = new Map(takes.map((take) => [trialKey(take.offerId, take.buyerMerchantId), take.priceAmount]));
    const taken = await sqlRows<{ offer_id: string }>(
      em,
      `insert into offer_trial_use as u (offer_id, buyer_merchant_id, units_taken)
       select w.offer_id, w.buyer, w.units
         from unnest(?::bigint[], ?::bigint[], ?::int[], ?::bigint[]) as w(offer_id, buyer, units, price)
         join offer_trial t on t.offer_id = w.offer_id and t.price_amount = w.price and t.starts_at <= now() and now() < t.ends_at and w.units <= t.units_per_buyer
        order by w.offer_id, w.buyer
       on conflict (offer_id, buyer_merchant_id) do update set units_taken = u.units_taken + excluded.units_taken, updated_at = now()
        where u.units_taken + excluded.units_taken <= (select units_per_buyer from offer_trial where offer_id = u.offer_id)
       returning u.offer_id::text`,
      [wanted.map((item) => item.offerId), wanted.map((item) => item.buyerMerchantId), wanted.map((item) => item.units), wanted.map((item) => price.get(trialKey(item.offerId, item.buyerMerchantId)))],
    );
    return taken.length === wanted.length;
  }

  /** Cancelled units give their trial units back, never below zero: rows locked in (offer, buyer) order first, as stock is (the one-time filter runs the locking CTE before any row is updated). */
  async giveBack(em: EntityManager, units: TrialUnits[]): Promise<void> {
    const back = sumUnits(units);
    if (back.length === 0) return;
    await sqlExec(
      em,
      `with back as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as b(offer_id, buyer, units)
       ), locked as (
         select u.offer_id from offer_trial_use u join back b on u.offer_id = b.offer_id and u.buyer_merchant_id = b.buyer
          order by u.offer_id, u.buyer_merchant_id for update of u
       )
       update offer_trial_use u set units_taken = greatest(0, u.units_taken - b.units), updated_at = now()
         from back b
        where (select count(*) from locked) >= 0 and u.offer_id = b.offer_id and u.buyer_merchant_id = b.buyer`,
      [back.map((item) => item.offerId), back.map((item) => item.buyerMerchantId), back.map((item) => item.units)],
    );
  }
}

/** Units summed per offer × buyer, in (offer, buyer) id order: the order their rows are locked in. */
function sumUnits(units: TrialUnits[]): TrialUnits[] {
  const sums = new Map<string, TrialUnits>();
  for (const item of units) {
    if (item.units <= 0) continue;
    const key = trialKey(item.offerId, item.buyerMerchantId);
    const sum = sums.get(key);
    sums.set(key, { ...item, units: (sum?.units ?? 0) + item.units });
  }
  return [...sums.values()].sort((a, b) => Number(BigInt(a.offerId) - BigInt(b.offerId)) || Number(BigInt(a.buyerMerchantId) - BigInt(b.buyerMerchantId)));
}
