import { useQuery } from '@tanstack/react-query';
import { api, ok, Schemas } from '../../api/client';
import { useLanguage, useT } from '../../i18n/i18n';
import { label } from './labels';
import { distributorMessages } from './messages';

export type Shop = Schemas['ShopResponseDto'];
export type ChannelOrder = Schemas['ChannelOrderResponseDto'];
export type OrderLine = Schemas['ChannelOrderLineResponseDto'];

/** The distributor's shops (first 100: enough for a filter and a select). */
export function useShops() {
  return useQuery({ queryKey: ['distributor', 'shops'], queryFn: () => ok(api.GET('/v1/shops', { params: { query: { limit: 100 } } })), staleTime: 30_000 });
}

/** The distributor texts plus a label lookup in the member's language. */
export function useDistributorT() {
  const t = useT(distributorMessages);
  const { language } = useLanguage();
  return { t, language, label: (table: Parameters<typeof label>[0], value: string | null | undefined) => label(table, language, value) };
}

/** The api types some nullable strings as objects; they are strings (or null) on the wire. */
export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
