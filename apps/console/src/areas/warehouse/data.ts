import { useQuery } from '@tanstack/react-query';
import { api, ok, Schemas } from '../../api/client';

export type Warehouse = Schemas['WarehouseResponseDto'];
export type Product = Schemas['ProductResponseDto'];
export type Sku = Schemas['SkuResponseDto'];

/** The merchant's warehouses (the first 200: a supplier has a handful). */
export function useWarehouses() {
  const query = useQuery({ queryKey: ['warehouse', 'warehouses', 'all'], queryFn: () => ok(api.GET('/v1/warehouses', { params: { query: { limit: 200 } } })) });
  const warehouses: Warehouse[] = query.data?.data ?? [];
  const byId = new Map(warehouses.map((warehouse) => [warehouse.id, warehouse]));
  return { warehouses, byId, isLoading: query.isLoading };
}

/** The merchant's SKUs by id and by code (from its first 200 products). */
export function useSkus() {
  const query = useQuery({ queryKey: ['warehouse', 'products', 'all'], queryFn: () => ok(api.GET('/v1/products', { params: { query: { limit: 200 } } })) });
  const skus: (Sku & { productName: string })[] = (query.data?.data ?? []).flatMap((product) => product.skus.map((sku) => ({ ...sku, productName: product.name })));
  return { skus, byId: new Map(skus.map((sku) => [sku.id, sku])), isLoading: query.isLoading };
}

/** "2026-12-01" + n days, as a local day string (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** Query parameters without the empty ones, as a query string. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
