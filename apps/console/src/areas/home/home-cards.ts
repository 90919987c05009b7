import { api, ok } from '../../api/client';
import type { Permission } from '../../auth/session';
import { localToday, startOfLocalDay } from '../../format';
import { homeMessages } from './home-messages';

type Key = keyof (typeof homeMessages)['zh-CN'];
const PAGE = 100;

/** A figure from one page of up to 100: "100+" when the api has a next page. */
export interface Figure {
  count: number;
  more: boolean;
}

export interface HomeCard {
  key: string;
  title: Key;
  hint: Key;
  permission: Permission;
  /** Shown only to a merchant on that side of the network (one with warehouses; one with shops or shop orders). */
  side?: 'supplier' | 'distributor';
  /** Needs attention when non-zero (shown in red). */
  alert?: boolean;
  link: string;
  fetch: () => Promise<Figure>;
}

const figure = (page: { data: unknown[]; nextCursor?: string | null }): Figure => ({ count: page.data.length, more: Boolean(page.nextCursor) });
/** Returns waiting for the supplier: GET /v1/returns has no role filter, so only the cases where this merchant is the supplier are counted. */
const supplierReturns = (status: 'pending_approval' | 'return_shipped') => async (): Promise<Figure> => {
  const page = await ok(api.GET('/v1/returns', { params: { query: { status, limit: PAGE } } }));
  return figure({ ...page, data: page.data.filter((row) => row.yourRole === 'supplier') });
};
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

function daysAgo(timeZone: string, days: number): string {
  return startOfLocalDay(localToday(timeZone, new Date(Date.now() - days * 86_400_000)), timeZone);
}

type InboxQuery = { status?: 'new' | 'acknowledged' | 'cancelled'; createdFrom?: string; createdTo?: string };
const inbox = (q: InboxQuery) => async () => figure(await ok(api.GET('/v1/fulfillment-orders', { params: { query: { ...q, limit: PAGE } } })));

/** The supplier's inbox: today's orders, orders left unshipped for 48 hours, recent cancellations not to ship. */
function supplierCards(today: string, before48h: string, weekAgo: string): HomeCard[] {
  return [
    {
      key: 'today-orders',
      title: 'todayOrders',
      hint: 'todayOrdersHint',
      permission: 'fulfillment:read',
      side: 'supplier',
      link: `/warehouse/inbox?${query({ createdFrom: today })}`,
      fetch: inbox({ createdFrom: today }),
    },
    {
      key: 'unshipped-new',
      title: 'unshippedNew',
      hint: 'unshippedNewHint',
      permission: 'fulfillment:read',
      side: 'supplier',
      alert: true,
      link: `/warehouse/inbox?${query({ status: 'new', createdTo: before48h })}`,
      fetch: inbox({ status: 'new', createdTo: before48h }),
    },
    {
      key: 'unshipped-acknowledged',
      title: 'unshippedAck',
      hint: 'unshippedAckHint',
      permission: 'fulfillment:read',
      side: 'supplier',
      alert: true,
      link: `/warehouse/inbox?${query({ status: 'acknowledged', createdTo: before48h })}`,
      fetch: inbox({ status: 'acknowledged', createdTo: before48h }),
    },
    {
      key: 'cancellations',
      title: 'cancellations',
      hint: 'cancellationsHint',
      permission: 'fulfillment:read',
      side: 'supplier',
      alert: true,
      link: `/warehouse/inbox?${query({ status: 'cancelled', createdFrom: weekAgo })}`,
      fetch: inbox({ status: 'cancelled', createdFrom: weekAgo }),
    },
  ];
}

/** The distributor's orders: today's shop orders and exceptions to fix. */
function distributorCards(today: string): HomeCard[] {
  return [
    {
      key: 'shop-orders-today',
      title: 'shopOrdersToday',
      hint: 'shopOrdersTodayHint',
      permission: 'orders:read',
      side: 'distributor',
      link: `/distributor/orders?${new URLSearchParams({ createdFrom: today })}`,
      fetch: async () => figure(await ok(api.GET('/v1/channel-orders', { params: { query: { createdFrom: today, limit: PAGE } } }))),
    },
    {
      key: 'exceptions',
      title: 'exceptions',
      hint: 'exceptionsHint',
      permission: 'orders:read',
      side: 'distributor',
      alert: true,
      link: '/distributor/orders?status=exception',
      fetch: async () => figure(await ok(api.GET('/v1/channel-orders', { params: { query: { status: 'exception', limit: PAGE } } }))),
    },
  ];
}

/** Returns waiting for the supplier, and statements waiting for the payer. */
const LATER_CARDS: HomeCard[] = [
  {
    key: 'returns-pending',
    title: 'returnsPending',
    hint: 'returnsPendingHint',
    permission: 'aftersales:read',
    link: '/warehouse/returns?status=pending_approval',
    fetch: supplierReturns('pending_approval'),
  },
  {
    key: 'returns-arrived',
    title: 'returnsArrived',
    hint: 'returnsArrivedHint',
    permission: 'aftersales:read',
    link: '/warehouse/returns?status=return_shipped',
    fetch: supplierReturns('return_shipped'),
  },
  {
    key: 'statements',
    title: 'statements',
    hint: 'statementsHint',
    permission: 'finance:read',
    link: '/finance/statements?side=payable&status=issued',
    fetch: async () => figure(await ok(api.GET('/v1/statements', { params: { query: { side: 'payable', status: 'issued', limit: PAGE } } }))),
  },
];

/** The home screen's cards: each a figure from the api and the filtered list it opens (query names as the api's). */
export function homeCards(timeZone: string, now = new Date()): HomeCard[] {
  const today = startOfLocalDay(localToday(timeZone, now), timeZone);
  const before48h = new Date(now.getTime() - 48 * 3_600_000).toISOString();
  const [first, ...rest] = supplierCards(today, before48h, daysAgo(timeZone, 7));
  const [shopToday, exceptions] = distributorCards(today);
  return [first, shopToday, exceptions, ...rest, ...LATER_CARDS];
}
