import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, message, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { useSession } from '../../auth/session';
import { ChannelOrder, useDistributorT } from './hooks';

/** Cancel the whole order, after asking; shows what the api did (stopped, or interception requested). */
export function CancelOrderAction({ order }: { order: ChannelOrder }) {
  const { t } = useDistributorT();
  const session = useSession();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Schemas['CancellationOutcomeDto'] | null>(null);
  const cancel = useMutation({
    mutationFn: () => ok(api.POST('/v1/channel-orders/{channelOrderId}/cancel', { params: { path: { channelOrderId: order.id } }, body: reason.trim() ? { reason: reason.trim() } : {} })),
    onSuccess: async (answer) => {
      setOutcome(answer);
      await queries.invalidateQueries({ queryKey: ['distributor'] });
    },
  });
  if (!session.can('orders:write')) return null;
  return (
    <Space orientation="vertical" align="end">
      {order.status !== 'cancelled' && (
        <Popconfirm
          title={t('cancelOrder')}
          description={
            <Space orientation="vertical" style={{ maxWidth: 320 }}>
              <span>{t('cancelConfirm')}</span>
              <Input placeholder={t('cancelReason')} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="distributor-cancel-reason" />
            </Space>
          }
          okText={t('cancelOrder')}
          okButtonProps={{ danger: true, 'data-testid': 'distributor-cancel-confirm' }}
          onConfirm={() => cancel.mutate()}
        >
          <Button danger loading={cancel.isPending} data-testid="distributor-cancel-order">
            {t('cancelOrder')}
          </Button>
        </Popconfirm>
      )}
      {outcome && (
        <Alert
          type={outcome.outcome === 'cancelled' ? 'success' : 'warning'}
          showIcon
          data-testid="distributor-cancel-outcome"
          title={
            outcome.outcome === 'cancelled'
              ? t('cancelledDone', { n: outcome.cancelledFulfillmentOrders })
              : t('interceptionDone', { n: outcome.interceptionsRequested, m: outcome.cancelledFulfillmentOrders })
          }
        />
      )}
      <ApiErrorAlert error={cancel.error} />
    </Space>
  );
}

/** Route again an order held as an exception. */
export function RetryAction({ order, compact }: { order: ChannelOrder; compact?: boolean }) {
  const { t } = useDistributorT();
  const session = useSession();
  const queries = useQueryClient();
  const retry = useMutation({
    mutationFn: () => ok(api.POST('/v1/channel-orders/{channelOrderId}/retry', { params: { path: { channelOrderId: order.id } } })),
    onSuccess: async () => {
      void message.success(t('retried'));
      await queries.invalidateQueries({ queryKey: ['distributor'] });
    },
  });
  if (!session.can('orders:write')) return null;
  return (
    <Space orientation="vertical" align={compact ? 'start' : 'end'}>
      <Button type="primary" size={compact ? 'small' : 'middle'} loading={retry.isPending} onClick={() => retry.mutate()} data-testid={`distributor-retry-${order.id}`}>
        {t('retry')}
      </Button>
      <ApiErrorAlert error={retry.error} />
    </Space>
  );
}
