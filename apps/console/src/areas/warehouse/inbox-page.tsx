import { Button, Card, Checkbox, Input, Select, Space, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useTimeZone } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { formatDate, formatDateTime, isStartOfLocalDay, startOfLocalDay } from '../../format';
import { useLanguage, useT } from '../../i18n/i18n';
import { addDays, useWarehouses } from './data';
import { consigneeOf, FULFILLMENT_STATUSES, FulfillmentOrder, FulfillmentStatus, isOverdue } from './labels';
import { warehouseMessages } from './messages';
import { useOrderSheetExport } from './order-sheet-export';
import { CancelledTag, FulfillmentStatusTag } from './status-tags';

/** The inbox's filters, named as the api's query parameters and kept in the URL. */
function useInboxFilters() {
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status');
  const status = FULFILLMENT_STATUSES.some((item) => item.value === rawStatus) ? (rawStatus as FulfillmentStatus) : undefined;
  const filters = {
    status,
    warehouseId: params.get('warehouseId') ?? undefined,
    createdFrom: params.get('createdFrom') ?? undefined,
    createdTo: params.get('createdTo') ?? undefined,
  };
  // Not an export filter (the sheet takes the others): only the list asks for overdue orders.
  const overdue = params.get('overdue') === 'true' ? ('true' as const) : undefined;
  const update = (changes: Partial<Record<keyof typeof filters | 'overdue', string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return { filters, overdue, update };
}

function linesSummary(order: FulfillmentOrder, customizationWord: string): string {
  // A customized line shows what to make (定制) beside it: the warehouse reads it before packing.
  return order.lines.map((line) => `${line.skuName || line.skuCode} ×${line.quantity}${line.customizationLabel ? `（${customizationWord}: ${line.customizationLabel}）` : ''}`).join('；');
}

function InboxFilters({ filters, overdue, update }: ReturnType<typeof useInboxFilters>) {
  const t = useT(warehouseMessages);
  const { language } = useLanguage();
  const timeZone = useTimeZone();
  const { warehouses } = useWarehouses();
  // A bound at a local midnight shows as a day (createdTo is the start of the day after the last day shown);
  // any other instant (the home card "超 48 小时" sets createdTo = now − 48 h) shows as a removable tag.
  const fromInstant = filters.createdFrom && !isStartOfLocalDay(filters.createdFrom, timeZone) ? filters.createdFrom : undefined;
  const toInstant = filters.createdTo && !isStartOfLocalDay(filters.createdTo, timeZone) ? filters.createdTo : undefined;
  const fromDay = filters.createdFrom && !fromInstant ? formatDate(filters.createdFrom, timeZone) : '';
  const toDay = filters.createdTo && !toInstant ? addDays(formatDate(filters.createdTo, timeZone), -1) : '';
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select
        allowClear
        placeholder={t('filterStatus')}
        style={{ width: 160 }}
        value={filters.status}
        onChange={(value?: string) => update({ status: value })}
        options={FULFILLMENT_STATUSES.map((item) => ({ value: item.value, label: item.label[language] }))}
        data-testid="inbox-filter-status"
      />
      <Select
        allowClear
        placeholder={t('filterWarehouse')}
        style={{ width: 180 }}
        value={filters.warehouseId}
        onChange={(value?: string) => update({ warehouseId: value })}
        options={warehouses.map((warehouse) => ({ value: warehouse.id, label: `${warehouse.name}（${warehouse.code}）` }))}
        data-testid="inbox-filter-warehouse"
      />
      <Typography.Text type="secondary">{t('createdBetween')}</Typography.Text>
      <Space.Compact>
        <Input
          type="date"
          aria-label={t('createdFrom')}
          value={fromDay}
          onChange={(event) => update({ createdFrom: event.target.value ? startOfLocalDay(event.target.value, timeZone) : undefined })}
          data-testid="inbox-filter-from"
        />
        <Input
          type="date"
          aria-label={t('createdTo')}
          value={toDay}
          onChange={(event) => update({ createdTo: event.target.value ? startOfLocalDay(addDays(event.target.value, 1), timeZone) : undefined })}
          data-testid="inbox-filter-to"
        />
      </Space.Compact>
      {fromInstant && (
        <Tag closable onClose={() => update({ createdFrom: undefined })} data-testid="inbox-filter-from-instant">
          {t('createdAfterInstant', { at: formatDateTime(fromInstant, timeZone) })}
        </Tag>
      )}
      {toInstant && (
        <Tag closable onClose={() => update({ createdTo: undefined })} data-testid="inbox-filter-to-instant">
          {t('createdBeforeInstant', { at: formatDateTime(toInstant, timeZone) })}
        </Tag>
      )}
      <Checkbox checked={overdue === 'true'} onChange={(event) => update({ overdue: event.target.checked ? 'true' : undefined })} data-testid="inbox-filter-overdue">
        {t('filterOverdue')}
      </Checkbox>
      <Button onClick={() => update({ status: undefined, warehouseId: undefined, createdFrom: undefined, createdTo: undefined, overdue: undefined })} data-testid="inbox-filter-clear">
        {t('clearFilters')}
      </Button>
    </Space>
  );
}

function useColumns() {
  const t = useT(warehouseMessages);
  const { byId } = useWarehouses();
  return [
    {
      title: t('orderNo'),
      key: 'id',
      render: (_: unknown, order: FulfillmentOrder) => (
        <Link to={`/warehouse/inbox/${order.id}`} data-testid={`inbox-open-${order.id}`}>
          {order.id}
        </Link>
      ),
    },
    { title: t('warehouse'), key: 'warehouse', render: (_: unknown, order: FulfillmentOrder) => byId.get(order.warehouseId)?.name ?? order.warehouseId },
    {
      title: t('consigneeCity'),
      key: 'city',
      render: (_: unknown, order: FulfillmentOrder) => {
        const consignee = consigneeOf(order);
        return [consignee.province, consignee.city].filter(Boolean).join(' ');
      },
    },
    { title: t('lines'), key: 'lines', render: (_: unknown, order: FulfillmentOrder) => <Typography.Text>{linesSummary(order, t('customization'))}</Typography.Text> },
    {
      title: t('status'),
      key: 'status',
      render: (_: unknown, order: FulfillmentOrder) => (
        <Space size={4} wrap>
          {order.status === 'cancelled' ? <CancelledTag /> : <FulfillmentStatusTag status={order.status} />}
          {isOverdue(order) && (
            <Tag color="volcano" data-testid={`inbox-overdue-${order.id}`}>
              {t('overdue')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('createdAt'), key: 'createdAt', render: (_: unknown, order: FulfillmentOrder) => <DateTime at={order.createdAt} /> },
  ];
}

/** The supplier's inbox: orders to ship, polled every second so new orders and cancellations show at once. */
export function InboxPage() {
  const t = useT(warehouseMessages);
  const inbox = useInboxFilters();
  const columns = useColumns();
  const { filters, overdue } = inbox;
  const sheet = useOrderSheetExport(filters);
  return (
    <Card
      title={t('inboxTitle')}
      extra={
        <Button onClick={sheet.start} loading={sheet.busy} data-testid="inbox-export">
          {t('downloadSheet')}
        </Button>
      }
    >
      <InboxFilters {...inbox} />
      <ApiErrorAlert error={sheet.error} />
      {sheet.panel}
      <CursorTable<FulfillmentOrder>
        rowKey="id"
        queryKey={['warehouse', 'inbox', filters, overdue]}
        fetchPage={(cursor) => ok(api.GET('/v1/fulfillment-orders', { params: { query: { ...filters, overdue, cursor, limit: 50 } } }))}
        refetchInterval={1000}
        columns={columns}
        onRow={(order) => ({ 'data-testid': `inbox-row-${order.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('inboxEmpty')}
      />
    </Card>
  );
}
