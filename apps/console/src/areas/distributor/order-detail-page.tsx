import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { DateTime, Money } from '../../components/widgets';
import { ChannelOrder, OrderLine, text, useDistributorT, useShops } from './hooks';
import { useCarriers } from '../../components/carriers';
import { EXCEPTION_REASON } from './labels';
import { CancelOrderAction, RetryAction } from './order-actions';
import { OpenReturnAction } from './open-return';
import { OrderStatusTag, ProductionTags } from './orders-page';
import { AddressWarnings } from './address-warnings';
import { LineCustomizationText } from '../offers/customization-tag';

/** Why an order is held, in the member's language, with the api's own explanation beneath. */
export function ExceptionReason({ order }: { order: ChannelOrder }) {
  const { t, label } = useDistributorT();
  const code = text(order.exceptionCode) ?? 'unknown';
  const reason = text(order.exceptionReason);
  return (
    <Alert
      type={code === 'insufficient_funds' ? 'warning' : 'error'}
      showIcon
      data-testid="distributor-exception-reason"
      title={label(EXCEPTION_REASON, code)}
      description={reason ? <Typography.Text type="secondary">{`${t('apiExplanation')}: ${reason}`}</Typography.Text> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

function Tracking({ line }: { line: OrderLine }) {
  const { t } = useDistributorT();
  const { nameOf } = useCarriers();
  if (line.shipments.length === 0) return <Typography.Text type="secondary">{t('notShipped')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={0} data-testid={`distributor-line-tracking-${line.lineNo}`}>
      {line.shipments.map((shipment) => (
        <span key={shipment.shipmentId}>
          {nameOf(shipment.carrierCode)} <Typography.Text copyable>{shipment.trackingNumber}</Typography.Text> × {shipment.quantity}
        </span>
      ))}
    </Space>
  );
}

function LinesTable({ order }: { order: ChannelOrder }) {
  const { t } = useDistributorT();
  return (
    <Table<OrderLine>
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={order.lines ?? []}
      onRow={(line) => ({ 'data-testid': `distributor-line-${line.lineNo}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('lineNo'), dataIndex: 'lineNo', width: 60 },
        { title: t('skuCode'), dataIndex: 'shopSkuCode' },
        { title: t('title'), dataIndex: 'title', render: (value: unknown) => text(value) ?? '—' },
        { title: t('quantity'), dataIndex: 'quantity', align: 'right' },
        { title: t('shipped'), dataIndex: 'shippedQuantity', align: 'right' },
        { title: t('cancelledQty'), dataIndex: 'cancelledQuantity', align: 'right' },
        { title: t('retailPrice'), align: 'right', render: (_, line) => <Money amount={line.unitPrice.amount} currency={line.unitPrice.currency} /> },
        {
          title: t('supplyPrice'),
          align: 'right',
          render: (_, line) =>
            line.supplyPrice ? (
              <span data-testid={`distributor-line-price-${line.lineNo}`}>
                <Money amount={line.supplyPrice.amount} currency={line.supplyPrice.currency} />
              </span>
            ) : (
              <Typography.Text type="secondary">{t('notRouted')}</Typography.Text>
            ),
        },
        { title: t('customization'), render: (_, line) => <LineCustomizationText line={line} testId={`distributor-line-customization-${line.lineNo}`} /> },
        { title: t('supplier'), render: (_, line) => line.sellerName ?? '—' },
        { title: t('parcel'), render: (_, line) => (line.fulfillmentOrderId ? `#${line.fulfillmentOrderId}` : '—') },
        { title: t('tracking'), render: (_, line) => <Tracking line={line} /> },
      ]}
    />
  );
}

function OrderSummary({ order }: { order: ChannelOrder }) {
  const { t } = useDistributorT();
  const shops = useShops();
  return (
    <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('routingStatus')}>
        <Space size={4} wrap>
          <OrderStatusTag order={order} />
          <ProductionTags order={order} />
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('shop')}>{shops.data?.data.find((shop) => shop.id === order.shopId)?.name ?? order.shopId}</Descriptions.Item>
      <Descriptions.Item label={t('total')}>
        <Money amount={order.total.amount} currency={order.total.currency} />
      </Descriptions.Item>
      <Descriptions.Item label={t('consignee')}>{`${order.consignee.name} ${order.consignee.phone}`}</Descriptions.Item>
      <Descriptions.Item label={t('region')}>{`${order.consignee.province}${order.consignee.city}${order.consignee.district} ${order.consignee.address}`}</Descriptions.Item>
      <Descriptions.Item label={t('remarks')}>{text(order.remarks) ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('receivedAt')}>
        <DateTime at={order.receivedAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t('routedAt')}>
        <DateTime at={text(order.routedAt)} />
      </Descriptions.Item>
    </Descriptions>
  );
}

/** One shop order: the price paid per line, supplier and parcel per line, tracking per line; cancel, retry, open a return. Polled every 2 s until shipped or cancelled. */
export function OrderDetailPage() {
  const { t } = useDistributorT();
  const { channelOrderId = '' } = useParams();
  const query = useQuery({
    queryKey: ['distributor', 'order', channelOrderId],
    queryFn: () => ok(api.GET('/v1/channel-orders/{channelOrderId}', { params: { path: { channelOrderId } } })),
    // Polled until the order is done (shipped or cancelled) or a fetch failed.
    refetchInterval: (current) => (current.state.status === 'error' || current.state.data?.status === 'shipped' || current.state.data?.status === 'cancelled' ? false : 2000),
  });
  const order = query.data;
  return (
    <Card
      title={
        <Space>
          <Link to="/distributor/orders">{t('back')}</Link>
          <span data-testid="distributor-order-title">{t('orderTitle', { id: order?.externalOrderId ?? channelOrderId })}</span>
        </Space>
      }
      extra={
        order && (
          <Space>
            {order.status === 'exception' && <RetryAction order={order} />}
            <OpenReturnAction order={order} />
            <CancelOrderAction order={order} />
          </Space>
        )
      }
      loading={query.isLoading}
    >
      <ApiErrorAlert error={query.error} />
      {order && (
        <>
          {order.status === 'exception' && <ExceptionReason order={order} />}
          <AddressWarnings order={order} />
          <OrderSummary order={order} />
          <Typography.Title level={5}>{t('lines')}</Typography.Title>
          <LinesTable order={order} />
        </>
      )}
    </Card>
  );
}
