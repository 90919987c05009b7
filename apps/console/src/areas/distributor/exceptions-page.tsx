import { Card, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { ChannelOrder, text, useDistributorT, useShops } from './hooks';
import { EXCEPTION_REASON, EXCEPTION_SHORT } from './labels';
import { RetryAction } from './order-actions';

/** Orders held as exceptions: why (in the member's language), and a retry per order. */
export function ExceptionsPage() {
  const { t, label } = useDistributorT();
  const shops = useShops();
  return (
    <Card title={t('exceptionsTitle')}>
      <CursorTable<ChannelOrder>
        queryKey={['distributor', 'orders', 'exceptions']}
        fetchPage={(cursor) => ok(api.GET('/v1/channel-orders', { params: { query: { status: 'exception', cursor, limit: 20 } } }))}
        refetchInterval={2000}
        rowKey="id"
        onRow={(order) => ({ 'data-testid': `distributor-exception-row-${order.externalOrderId}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('exceptionsEmpty')}
        columns={[
          {
            title: t('externalOrderId'),
            render: (_, order) => <Link to={`/distributor/orders/${order.id}`}>{order.externalOrderId}</Link>,
          },
          { title: t('shop'), render: (_, order) => shops.data?.data.find((shop) => shop.id === order.shopId)?.name ?? order.shopId },
          {
            title: t('reason'),
            render: (_, order) => {
              const code = text(order.exceptionCode) ?? 'unknown';
              return (
                <div data-testid="distributor-exception-reason">
                  <Typography.Text strong type={code === 'insufficient_funds' ? 'warning' : 'danger'}>
                    {label(EXCEPTION_SHORT, code)}
                  </Typography.Text>
                  <div>{label(EXCEPTION_REASON, code)}</div>
                  {text(order.exceptionReason) && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {text(order.exceptionReason)}
                    </Typography.Text>
                  )}
                </div>
              );
            },
          },
          { title: t('receivedAt'), width: 180, render: (_, order) => <DateTime at={order.receivedAt} /> },
          { title: t('retry'), width: 140, render: (_, order) => <RetryAction order={order} compact /> },
        ]}
      />
    </Card>
  );
}
