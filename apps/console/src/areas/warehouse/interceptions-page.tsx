import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Card, Space, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { INTERCEPTION_STATUSES } from './labels';
import { warehouseMessages } from './messages';

type Interception = Schemas['InterceptionResponseDto'];

function AnswerButtons({ interception }: { interception: Interception }) {
  const t = useT(warehouseMessages);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (outcome: 'intercepted' | 'failed') => ok(api.POST('/v1/interception-requests/{interceptionId}/answer', { params: { path: { interceptionId: interception.id } }, body: { outcome } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['warehouse'] }),
  });
  return (
    <Space direction="vertical">
      <Space>
        <ConfirmButton
          type="primary"
          title={t('confirmIntercepted')}
          onConfirm={() => mutation.mutate('intercepted')}
          loading={mutation.isPending}
          testId={`interception-intercepted-${interception.id}`}
        >
          {t('answerIntercepted')}
        </ConfirmButton>
        <ConfirmButton danger title={t('confirmFailed')} onConfirm={() => mutation.mutate('failed')} loading={mutation.isPending} testId={`interception-failed-${interception.id}`}>
          {t('answerFailed')}
        </ConfirmButton>
      </Space>
      <ApiErrorAlert error={mutation.error} />
    </Space>
  );
}

/** Parcels already shipped whose order was cancelled: stop them with the carrier, then say how it went. */
export function InterceptionsPage() {
  const t = useT(warehouseMessages);
  const { language } = useLanguage();
  const session = useSession();
  return (
    <Card title={t('interceptionsTitle')}>
      <CursorTable<Interception>
        rowKey="id"
        queryKey={['warehouse', 'interceptions']}
        fetchPage={(cursor) => ok(api.GET('/v1/interception-requests', { params: { query: { cursor, limit: 50 } } }))}
        refetchInterval={5000}
        onRow={(row) => ({ 'data-testid': `interception-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('interceptionsEmpty')}
        columns={[
          { title: t('interceptionNo'), dataIndex: 'id' },
          { title: t('orderNo'), key: 'order', render: (_, row) => <Link to={`/warehouse/inbox/${row.fulfillmentOrderId}`}>{row.fulfillmentOrderId}</Link> },
          {
            title: t('status'),
            key: 'status',
            render: (_, row) => (
              <Space size={4}>
                <Tag color={INTERCEPTION_STATUSES[row.status].color} data-testid={`interception-status-${row.id}`}>
                  {INTERCEPTION_STATUSES[row.status].label[language]}
                </Tag>
                {row.escalatedAt && row.status === 'requested' && <Tag color="red">{t('escalated')}</Tag>}
              </Space>
            ),
          },
          { title: t('requestedAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
          { title: t('answeredAt'), key: 'answeredAt', render: (_, row) => (row.answeredAt ? <DateTime at={String(row.answeredAt)} /> : '—') },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, row) => (row.status === 'requested' && session.can('fulfillment:write') ? <AnswerButtons interception={row} /> : row.note ? String(row.note) : null),
          },
        ]}
      />
    </Card>
  );
}
