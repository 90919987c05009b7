import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

export type PaymentTerms = 'on_account' | 'prepaid';

/** A seller × buyer × currency pair. */
export interface BalancePair {
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
}

/** One balance row's figures, as bigints (minor units). */
export interface BalanceFigures extends BalancePair {
  id: string;
  terms: PaymentTerms;
  creditLimit: bigint;
  paid: bigint;
  charged: bigint;
  held: bigint;
}

/** A balance row as stored (bigints as text). */
export interface BalanceRow {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  currency: string;
  terms: PaymentTerms;
  credit_limit_amount: string;
  paid_amount: string;
  charged_amount: string;
  held_amount: string;
}

export function pairKey(pair: BalancePair): string {
  return `${pair.sellerMerchantId}:${pair.buyerMerchantId}:${pair.currency}`;
}

/**
 * What the buyer can still spend with the seller: its balance (paid − charged − held) plus the
 * credit the seller grants (on account; a limit of 0 is unlimited, returned as null).
 */
export function availableFunds(balance: Pick<BalanceFigures, 'terms' | 'creditLimit' | 'paid' | 'charged' | 'held'>): bigint | null {
  if (balance.terms === 'on_account' && balance.creditLimit === 0n) return null;
  const own = balance.paid - balance.charged - balance.held;
  return balance.terms === 'on_account' ? own + balance.creditLimit : own;
}

function figures(row: BalanceRow): BalanceFigures {
  return {
    id: String(row.id),
    sellerMerchantId: String(row.seller_merchant_id),
    buyerMerchantId: String(row.buyer_merchant_id),
    currency: row.currency,
    terms: row.terms,
    creditLimit: BigInt(row.credit_limit_amount),
    paid: BigInt(row.paid_amount),
    charged: BigInt(row.charged_amount),
    held: BigInt(row.held_amount),
  };
}

/** Makes sure each pair has its balance row (on account, unlimited, by default). */
export async function ensureBalances(em: EntityManager, pairs: BalancePair[]): Promise<void> {
  const unique = [...new Map(pairs.map((pair) => [pairKey(pair), pair])).values()];
  if (unique.length === 0) return;
  await sqlExec(
    em,
    `insert into settlement_balance (seller_merchant_id, buyer_merchant_id, currency)
     select * from unnest(?::bigint[], ?::bigint[], ?::text[]) order by 1, 2, 3
     on conflict (seller_merchant_id, buyer_merchant_id, currency) do nothing`,
    [unique.map((pair) => pair.sellerMerchantId), unique.map((pair) => pair.buyerMerchantId), unique.map((pair) => pair.currency)],
  );
}

/**
 * Locks the pairs' balance rows in id order, keyed by `pairKey`; missing ones are created first (on
 * the hot path the rows exist, so this is one round trip).
 */
export async function lockBalances(em: EntityManager, pairs: BalancePair[]): Promise<Map<string, BalanceFigures>> {
  const unique = [...new Map(pairs.map((pair) => [pairKey(pair), pair])).values()];
  const lock = async () => {
    const rows = await sqlRows<BalanceRow>(
      em,
      `select * from settlement_balance where (seller_merchant_id, buyer_merchant_id, currency) in (select * from unnest(?::bigint[], ?::bigint[], ?::text[])) order by id for update`,
      [unique.map((pair) => pair.sellerMerchantId), unique.map((pair) => pair.buyerMerchantId), unique.map((pair) => pair.currency)],
    );
    return new Map(rows.map((row) => [pairKey(figures(row)), figures(row)]));
  };
  const locked = await lock();
  if (locked.size === unique.length) return locked;
  await ensureBalances(em, unique);
  return lock();
}

/** The balances of these pairs, unlocked (missing pairs are absent). */
export async function readBalances(em: EntityManager, pairs: BalancePair[]): Promise<Map<string, BalanceFigures>> {
  if (pairs.length === 0) return new Map();
  const rows = await sqlRows<BalanceRow>(
    em,
    `select * from settlement_balance where (seller_merchant_id, buyer_merchant_id, currency) in (select * from unnest(?::bigint[], ?::bigint[], ?::text[]))`,
    [pairs.map((pair) => pair.sellerMerchantId), pairs.map((pair) => pair.buyerMerchantId), pairs.map((pair) => pair.currency)],
  );
  return new Map(rows.map((row) => [pairKey(figures(row)), figures(row)]));
}
