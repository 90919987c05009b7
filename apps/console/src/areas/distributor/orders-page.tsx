import { Button, Card, Checkbox, DatePicker, Select, Space, Tag, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useTimeZone } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { DateTime, Money } from '../../components/widgets';
import { formatDate, startOfLocalDay } from '../../format';
import { ChannelOrder, text, useDistributorT, useShops } from './hooks';
import { EXCEPTION_SHORT, ORDER_STATUS, ORDER_STATUS_COLOR } from './labels';
import { AddressWarningTag } from './address-warnings';

const STATUSES = ['received', 'routed', 'exception', 'partially_shipped', 'shipped', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];
/** A pseudo-status of the filter: exceptions waiting for funds. */
const AWAITING_FUNDS = 'exception:insufficient_funds';

/** The status tag of an order; exceptions waiting for funds read 等待资金. */
export function OrderStatusTag({ order }: { order: Pick<ChannelOrder, 'status' | 'exceptionCode'> }) {
  const { label } = useDistributorT();
  const code = text(order.exceptionCode);
  const name = order.status === 'exception' && code === 'insufficient_funds' ? label(EXCEPTION_SHORT, code) : label(ORDER_STATUS, order.status);
  return (
    <Tag color={code === 'insufficient_funds' ? 'warning' : ORDER_STATUS_COLOR[order.status]} data-testid="distributor-order-status">
      {name}
    </Tag>
  );
}

/** Made to order: 生产中 while units wait for the supplier's production run, 预计发货 YYYY-MM-DD once it promised a date. */
export function ProductionTags({ order }: { order: Pick<ChannelOrder, 'externalOrderId' | 'inProduction' | 'promisedShipDate'> }) {
  const { t } = useDistributorT();
  return (
    <>
      {order.inProduction && (
        <Tag color="geekblue" data-testid={`distributor-order-in-production-${order.externalOrderId}`}>
          {t('inProduction')}
        </Tag>
      )}
      {order.promisedShipDate && (
        <Tag color="cyan" data-testid={`distributor-order-promised-${order.externalOrderId}`}>
          {t('promisedShipDate', { date: order.promisedShipDate })}
        </Tag>
      )}
    </>
  );
}

function useOrderFilters() {
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = STATUSES.includes(statusParam as Status) ? (statusParam as Status) : undefined;
  const exceptionCode = status === 'exception' ? (params.get('exceptionCode') ?? undefined) : undefined;
  const query = {
    status,
    exceptionCode,
    shopId: params.get('shopId') ?? undefined,
    createdFrom: params.get('createdFrom') ?? undefined,
    createdTo: params.get('createdTo') ?? undefined,
    overdue: params.get('overdue') === 'true' ? ('true' as const) : undefined,
  };
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return { query, update };
}

function OrderFilters({ query, update }: ReturnType<typeof useOrderFilters>) {
  const { t, label } = useDistributorT();
  const timeZone = useTimeZone();
  const shops = useShops();
  const statusValue = query.exceptionCode === 'insufficient_funds' ? AWAITING_FUNDS : (query.status ?? '');
  // The URL holds instants (as the api takes them); the picker shows local days in the merchant's time zone,
  // either end alone too (a home link sets only createdFrom); createdTo is the start of the day after the last shown.
  const from = query.createdFrom ? dayjs(formatDate(query.createdFrom, timeZone)) : null;
  const to = query.createdTo ? dayjs(formatDate(new Date(new Date(query.createdTo).getTime() - 1), timeZone)) : null;
  const range: [Dayjs | null, Dayjs | null] | null = from || to ? [from, to] : null;
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select
        style={{ width: 160 }}
        value={statusValue}
        data-testid="distributor-orders-status"
        onChange={(value: string) =>
          value === AWAITING_FUNDS ? update({ status: 'exception', exceptionCode: 'insufficient_funds' }) : update({ status: value || undefined, exceptionCode: undefined })
        }
        options={[{ value: '', label: t('allStatuses') }, ...STATUSES.map((status) => ({ value: status, label: label(ORDER_STATUS, status) })), { value: AWAITING_FUNDS, label: t('awaitingFunds') }]}
      />
      <Select
        style={{ width: 200 }}
        value={query.shopId ?? ''}
        data-testid="distributor-orders-shop"
        onChange={(value: string) => update({ shopId: value || undefined })}
        options={[{ value: '', label: t('allShops') }, ...(shops.data?.data ?? []).map((shop) => ({ value: shop.id, label: shop.name }))]}
      />
      <DatePicker.RangePicker
        value={range}
        allowEmpty={[true, true]}
        data-testid="distributor-orders-dates"
        onChange={(days) =>
          update({
            createdFrom: days?.[0] ? startOfLocalDay(days[0].format('YYYY-MM-DD'), timeZone) : undefined,
            createdTo: days?.[1] ? startOfLocalDay(days[1].add(1, 'day').format('YYYY-MM-DD'), timeZone) : undefined,
          })
        }
      />
      <Checkbox checked={query.overdue === 'true'} onChange={(event) => update({ overdue: event.target.checked ? 'true' : undefined })} data-testid="distributor-orders-overdue">
        {t('filterOverdue')}
      </Checkbox>
      <Button
        onClick={() => update({ status: undefined, exceptionCode: undefined, shopId: undefined, createdFrom: undefined, createdTo: undefined, overdue: undefined })}
        disabled={!Object.values(query).some(Boolean)}
        data-testid="distributor-orders-clear"
      >
        {t('clearFilters')}
      </Button>
    </Space>
  );
}

/** The distributor's shop orders: filters in the URL, cursor paging, polled every 2 s. */
export function OrdersPage() {
  const { t, label } = useDistributorT();
  const filters = useOrderFilters();
  const shops = useShops();
  const shopName = (id: string) => shops.data?.data.find((shop) => shop.id === id)?.name ?? id;
  const filtered = Object.values(filters.query).some(Boolean);
  return (
    <Card title={t('ordersTitle')}>
      <OrderFilters {...filters} />
      <CursorTable<ChannelOrder>
        queryKey={['distributor', 'orders', filters.query]}
        fetchPage={(cursor) => ok(api.GET('/v1/channel-orders', { params: { query: { ...filters.query, cursor, limit: 20 } } }))}
        refetchInterval={2000}
        rowKey="id"
        onRow={(order) => ({ 'data-testid': `distributor-order-row-${order.externalOrderId}` }) as React.HTMLAttributes<HTMLElement>}
        empty={filtered ? t('ordersEmptyFiltered') : t('ordersEmpty')}
        columns={[
          {
            title: t('externalOrderId'),
            dataIndex: 'externalOrderId',
            render: (value: string, order) => (
              <Link to={`/distributor/orders/${order.id}`} data-testid={`distributor-order-link-${order.externalOrderId}`}>
                {value}
              </Link>
            ),
          },
          { title: t('shop'), dataIndex: 'shopId', render: (id: string) => shopName(id) },
          {
            title: t('consignee'),
            render: (_, order) => (
              <>
                {`${order.consignee.name} · ${order.consignee.province}${order.consignee.city}`} <AddressWarningTag order={order} />
              </>
            ),
          },
          { title: t('total'), align: 'right', render: (_, order) => <Money amount={order.total.amount} currency={order.total.currency} /> },
          {
            title: t('routingStatus'),
            render: (_, order) => (
              <Space size={4} wrap>
                <OrderStatusTag order={order} />
                {order.overdue && (
                  <Tag color="volcano" data-testid={`distributor-order-overdue-${order.externalOrderId}`}>
                    {t('overdue')}
                  </Tag>
                )}
                <ProductionTags order={order} />
              </Space>
            ),
          },
          {
            title: t('reason'),
            render: (_, order) => (order.status === 'exception' ? <Typography.Text type="danger">{label(EXCEPTION_SHORT, text(order.exceptionCode) ?? 'unknown')}</Typography.Text> : null),
          },
          { title: t('receivedAt'), dataIndex: 'receivedAt', render: (at: string) => <DateTime at={at} /> },
        ]}
      />
    </Card>
  );
}
