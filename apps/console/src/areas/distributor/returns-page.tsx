import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, message, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime, Money } from '../../components/widgets';
import { useDistributorT } from './hooks';
import { useCarriers } from '../../components/carriers';
import { RETURN_KIND, RETURN_ORIGIN, RETURN_STATUS, RETURN_STATUS_COLOR } from './labels';
import { ReturnShipmentModal } from './return-shipment-modal';

type ReturnCase = Schemas['ReturnResponseDto'];
type ReturnStatus = NonNullable<ReturnCase['status']>;
const STATUSES: ReturnStatus[] = ['pending_approval', 'approved', 'rejected', 'return_shipped', 'received', 'refunded', 'withdrawn'];

function MoneyOrDash({ value }: { value: Schemas['MoneyDto'] | null | undefined }) {
  return value ? <Money amount={value.amount} currency={value.currency} /> : <>—</>;
}

function ReturnActions({ item, onShip }: { item: ReturnCase; onShip: () => void }) {
  const { t } = useDistributorT();
  const session = useSession();
  const queries = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => ok(api.POST('/v1/returns/{returnId}/withdraw', { params: { path: { returnId: item.id } } })),
    onSuccess: async () => {
      void message.success(t('withdrawn'));
      await queries.invalidateQueries({ queryKey: ['distributor', 'returns'] });
    },
  });
  if (!session.can('aftersales:write') || item.yourRole !== 'distributor') return null;
  const open = item.status === 'pending_approval' || item.status === 'approved';
  return (
    <Space orientation="vertical" align="end">
      <Space>
        {item.kind === 'return_and_refund' && item.status === 'approved' && !item.returnShipment && (
          <Button size="small" onClick={onShip} data-testid={`distributor-return-ship-${item.id}`}>
            {t('enterReturnShipment')}
          </Button>
        )}
        {open && (
          <ConfirmButton title={t('withdrawConfirm')} danger onConfirm={() => withdraw.mutate()} testId={`distributor-return-withdraw-${item.id}`}>
            {t('withdraw')}
          </ConfirmButton>
        )}
      </Space>
      <ApiErrorAlert error={withdraw.error} />
    </Space>
  );
}

/** Return cases the distributor opened: status, refunds, the return parcel, withdraw. */
export function ReturnsPage() {
  const { t, label } = useDistributorT();
  const { nameOf } = useCarriers();
  const [params, setParams] = useSearchParams();
  const [shipping, setShipping] = useState<string | null>(null);
  const status = STATUSES.includes(params.get('status') as ReturnStatus) ? (params.get('status') as ReturnStatus) : undefined;
  const query = { status, channelOrderId: params.get('channelOrderId') ?? undefined };
  const setStatus = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };
  return (
    <Card title={t('returnsTitle')}>
      <Select
        style={{ width: 180, marginBottom: 16 }}
        value={status ?? ''}
        onChange={setStatus}
        data-testid="distributor-returns-status"
        options={[{ value: '', label: t('allReturnStatuses') }, ...STATUSES.map((value) => ({ value, label: label(RETURN_STATUS, value) }))]}
      />
      <CursorTable<ReturnCase>
        queryKey={['distributor', 'returns', query]}
        fetchPage={(cursor) => ok(api.GET('/v1/returns', { params: { query: { ...query, cursor, limit: 20 } } }))}
        refetchInterval={5000}
        rowKey="id"
        onRow={(item) => ({ 'data-testid': `distributor-return-row-${item.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('returnsEmpty')}
        columns={[
          { title: t('createdAt'), render: (_, item) => <DateTime at={item.createdAt} /> },
          { title: t('order'), render: (_, item) => (item.channelOrderId ? <Link to={`/distributor/orders/${item.channelOrderId}`}>#{item.channelOrderId}</Link> : '—') },
          { title: t('returnKindCol'), render: (_, item) => label(RETURN_KIND, item.kind) },
          { title: t('returnOrigin'), render: (_, item) => label(RETURN_ORIGIN, item.origin) },
          { title: t('returnLines'), render: (_, item) => item.lines.map((line) => `${line.skuName} × ${line.quantity}`).join('，') },
          { title: t('reason'), dataIndex: 'reason' },
          {
            title: t('filterStatus'),
            render: (_, item) => (
              <Space size={4}>
                <Tag color={RETURN_STATUS_COLOR[item.status]}>{label(RETURN_STATUS, item.status)}</Tag>
                {item.decidedBy === 'auto' && (
                  <Tag color="orange" data-testid="return-auto-approved">
                    {t('autoApproved')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('paid'), align: 'right', render: (_, item) => <MoneyOrDash value={item.money.paidToSeller} /> },
          { title: t('refunded'), align: 'right', render: (_, item) => <MoneyOrDash value={item.money.refundedToYou} /> },
          {
            title: t('returnShipment'),
            render: (_, item) => {
              const parcel = item.returnShipment as { carrierCode?: string; trackingNumber?: string } | null | undefined;
              return parcel?.trackingNumber ? <Typography.Text>{`${nameOf(parcel.carrierCode)} ${parcel.trackingNumber}`}</Typography.Text> : '—';
            },
          },
          { title: '', align: 'right', render: (_, item) => <ReturnActions item={item} onShip={() => setShipping(item.id)} /> },
        ]}
      />
      <ReturnShipmentModal returnId={shipping} onClose={() => setShipping(null)} />
    </Card>
  );
}
