import { useQuery } from '@tanstack/react-query';
import { api, ok, Schemas } from '../../api/client';
import { parseMoney } from '../../format';

export type OwnOffer = Schemas['OwnOfferResponseDto'];
export type AvailableOffer = Schemas['AvailableOfferResponseDto'];

/** My active downstream partners (whom I may offer goods to): id → name. */
export function useDownstreamPartners() {
  return useQuery({
    queryKey: ['partnerships', 'downstream', 'active'],
    queryFn: async () => {
      const page = await ok(api.GET('/v1/partnerships', { params: { query: { side: 'downstream', status: 'active', limit: 100 } } }));
      return page.data.map((row) => ({ merchantId: row.downstream.merchantId, name: row.downstream.name ?? row.downstream.merchantId, currency: row.currency }));
    },
  });
}

/** My own SKUs, from my products. */
export function useOwnSkus(enabled = true) {
  return useQuery({
    queryKey: ['products', 'skus'],
    enabled,
    queryFn: async () => {
      const page = await ok(api.GET('/v1/products', { params: { query: { limit: 100 } } }));
      return page.data.flatMap((product) => product.skus.map((sku) => ({ id: sku.id, code: sku.code, name: sku.name, product: product.name })));
    },
  });
}

/** A form rule: yuan as typed (at most two decimals, not negative). */
export function moneyRule(message: string) {
  return {
    validator: (_: unknown, value: string | undefined) => {
      if (value === undefined || value === '') return Promise.resolve();
      const fen = parseMoney(value);
      return fen !== null && fen >= 0 ? Promise.resolve() : Promise.reject(new Error(message));
    },
  };
}

export type Currency = Schemas['MoneyDto']['currency'];
const SYMBOLS: Record<Currency, string> = { CNY: '¥', USD: '$', HKD: 'HK$', EUR: '€' };

/** The input prefix for amounts in this currency (¥ for CNY). */
export function currencySymbol(currency: string | undefined): string {
  return SYMBOLS[(currency ?? 'CNY') as Currency] ?? currency ?? '¥';
}

/** Amount as typed (yuan, or the currency's major unit) → the api's money in minor units, in the offer's currency (CNY when there is none yet). */
export function moneyFromYuan(text: string | undefined, currency: string | undefined = 'CNY', fallback = 0): { amount: number; currency: Currency } {
  return { amount: text ? (parseMoney(text) ?? fallback) : fallback, currency: (currency ?? 'CNY') as Currency };
}

/** Fen → yuan text for an input ("30.00"). */
export function yuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}
