import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { useWarehouses } from './data';
import { useCarriers } from '../../components/carriers';
import { consigneeOf, FulfillmentOrder, isOverdue, unitsLeft } from './labels';
import { warehouseMessages } from './messages';
import { ShipmentForm } from './shipment-form';
import { LineCustomizationText } from '../offers/customization-tag';
import { CancelledBanner, FulfillmentStatusTag } from './status-tags';

function OrderSummary({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  const { byId } = useWarehouses();
  const consignee = consigneeOf(order);
  return (
    <Descriptions bordered size="small" column={2}>
      <Descriptions.Item label={t('status')}>
        <span data-testid="order-status">
          <FulfillmentStatusTag status={order.status} />
          {isOverdue(order) && <Typography.Text type="danger">{t('overdue')}</Typography.Text>}
          {order.shipBy && (
            <Typography.Text type="secondary" data-testid="order-ship-by">
              {' '}
              {t('shipBy')} <DateTime at={order.shipBy} />
            </Typography.Text>
          )}
          {order.promisedShipDate && (
            <Typography.Text type="secondary" data-testid="order-promised-ship-date">
              {' '}
              {t('promisedShipDate')} {order.promisedShipDate}
            </Typography.Text>
          )}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('warehouse')}>{byId.get(order.warehouseId)?.name ?? order.warehouseId}</Descriptions.Item>
      <Descriptions.Item label={t('consignee')}>
        {consignee.name} {consignee.phone}
      </Descriptions.Item>
      <Descriptions.Item label={t('address')}>{[consignee.province, consignee.city, consignee.district, consignee.address].filter(Boolean).join(' ')}</Descriptions.Item>
      <Descriptions.Item label={t('createdAt')}>
        <DateTime at={order.createdAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t('acknowledgedAt')}>{order.acknowledgedAt ? <DateTime at={String(order.acknowledgedAt)} /> : t('notYet')}</Descriptions.Item>
      {order.remarks && <Descriptions.Item label={t('remarks')}>{typeof order.remarks === 'string' ? order.remarks : JSON.stringify(order.remarks)}</Descriptions.Item>}
    </Descriptions>
  );
}

function OrderLines({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={order.lines}
      onRow={(line) => ({ 'data-testid': `order-line-${line.skuCode}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('skuCode'), dataIndex: 'skuCode' },
        { title: t('skuName'), dataIndex: 'skuName' },
        { title: t('customization'), key: 'customization', render: (_, line) => <LineCustomizationText line={line} testId={`order-customization-${line.skuCode}`} /> },
        { title: t('quantity'), dataIndex: 'quantity' },
        { title: t('shipped'), dataIndex: 'shippedQuantity' },
        { title: t('cancelledUnits'), dataIndex: 'cancelledQuantity' },
        { title: t('unitsLeft'), key: 'left', render: (_, line) => <span data-testid={`order-left-${line.skuCode}`}>{unitsLeft(line)}</span> },
      ]}
    />
  );
}

function Shipments({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  const { nameOf } = useCarriers();
  const codeOf = new Map(order.lines.map((line) => [line.id, line.skuCode]));
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={order.shipments ?? []}
      locale={{ emptyText: t('noShipments') }}
      onRow={(shipment) => ({ 'data-testid': `order-shipment-${shipment.trackingNumber}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('carrier'), key: 'carrier', render: (_, shipment) => nameOf(shipment.carrierCode) },
        { title: t('trackingNumber'), dataIndex: 'trackingNumber' },
        { title: t('lines'), key: 'lines', render: (_, shipment) => shipment.lines.map((line) => `${codeOf.get(line.lineId) ?? line.lineId} ×${line.quantity}`).join('；') },
        { title: t('shippedAt'), key: 'createdAt', render: (_, shipment) => <DateTime at={shipment.createdAt} /> },
      ]}
    />
  );
}

function AcknowledgeButton({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => ok(api.POST('/v1/fulfillment-orders/{fulfillmentOrderId}/acknowledge', { params: { path: { fulfillmentOrderId: order.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['warehouse'] }),
  });
  return (
    <>
      <Button onClick={() => mutation.mutate()} loading={mutation.isPending} data-testid="order-acknowledge">
        {t('acknowledge')}
      </Button>
      <ApiErrorAlert error={mutation.error} />
    </>
  );
}

/** One fulfillment order: lines, consignee, parcels, and the form to record the next parcel. */
export function OrderPage() {
  const t = useT(warehouseMessages);
  const { fulfillmentOrderId = '' } = useParams();
  const session = useSession();
  const query = useQuery({
    queryKey: ['warehouse', 'order', fulfillmentOrderId],
    queryFn: () => ok(api.GET('/v1/fulfillment-orders/{fulfillmentOrderId}', { params: { path: { fulfillmentOrderId } } })),
    // Polled while the order can still change here; not once shipped or cancelled, nor after a failed fetch.
    refetchInterval: (current) => (current.state.status === 'error' || current.state.data?.status === 'shipped' || current.state.data?.status === 'cancelled' ? false : 1000),
  });
  const order = query.data;
  if (!order) return <Card loading={query.isLoading}>{query.error ? <ApiErrorAlert error={query.error} /> : null}</Card>;
  const canShip = session.can('fulfillment:write');
  const shippable = order.status !== 'shipped' && order.status !== 'pending_merge' && order.status !== 'awaiting_production' && order.lines.some((line) => line.quantity > line.shippedQuantity);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title={
          <Space>
            <Link to="/warehouse/inbox">{t('backToInbox')}</Link>
            <span>{t('orderTitle', { id: order.id })}</span>
          </Space>
        }
        extra={order.status === 'new' && canShip ? <AcknowledgeButton order={order} /> : null}
      >
        {order.status === 'cancelled' && <CancelledBanner />}
        <OrderSummary order={order} />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('lines')}
        </Typography.Title>
        <OrderLines order={order} />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('shipments')}
        </Typography.Title>
        <Shipments order={order} />
      </Card>
      {shippable && canShip && <ShipmentForm key={(order.shipments ?? []).length} order={order} />}
    </Space>
  );
}
