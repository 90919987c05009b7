import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { api, ok, Schemas } from '../api/client';
import { useLanguage } from '../i18n/i18n';

export type Carrier = Schemas['CarrierResponseDto'];

/** The api's carrier dictionary (GET /v1/carriers, read once): options for a select, and a code's name in the member's language. */
export function useCarriers() {
  const { language } = useLanguage();
  const query = useQuery({ queryKey: ['carriers'], queryFn: () => ok(api.GET('/v1/carriers')), staleTime: Infinity });
  const carriers = useMemo(() => query.data?.data ?? [], [query.data]);
  const nameOf = useCallback((code: string | null | undefined) => (code ? (carriers.find((carrier) => carrier.code === code)?.name[language] ?? code) : '—'), [carriers, language]);
  const options = useMemo(() => carriers.map((carrier) => ({ value: carrier.code, label: `${carrier.name[language]}（${carrier.code}）` })), [carriers, language]);
  return { carriers, nameOf, options, loading: query.isLoading };
}
