import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';

const one = { params: { query: { limit: 1 } } };

/** Which sides of the network this merchant plays (from what the member may read): it has warehouses; it has shops or shop orders. */
export function useSides() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['home', 'sides'],
    queryFn: async () => {
      const [warehouses, shops, orders] = await Promise.all([
        can('catalog:read') ? ok(api.GET('/v1/warehouses', one)).then((page) => page.data.length > 0) : Promise.resolve(true),
        can('shops:manage') ? ok(api.GET('/v1/shops', one)).then((page) => page.data.length > 0) : Promise.resolve(false),
        can('orders:read') ? ok(api.GET('/v1/channel-orders', one)).then((page) => page.data.length > 0) : Promise.resolve(false),
      ]);
      return { supplier: warehouses, distributor: shops || orders };
    },
  });
}
