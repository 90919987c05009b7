import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useTimeZone } from '../../auth/session';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n/i18n';
import { delistingMessages } from './delisting-messages';

type Delisting = Schemas['DelistingResponseDto'];
const STATUS_COLOR: Record<string, string> = { suspended: 'red', warned: 'orange', reinstated: 'green' };

/** 自动下架记录: each firing with its evidence, and 恢复上架 with a required reason (confirmed). */
export function DelistingsPage() {
  const t = useT(delistingMessages);
  const timeZone = useTimeZone();
  const client = useQueryClient();
  const [reinstating, setReinstating] = useState<Delisting | null>(null);
  const [reason, setReason] = useState('');
  const delistings = useQuery({ queryKey: ['quality', 'delistings'], queryFn: () => ok(api.GET('/v1/quality/delistings', { params: { query: { limit: 200 } } })) });
  const reinstate = useMutation({
    mutationFn: (delisting: Delisting) => ok(api.POST('/v1/quality/delistings/{delistingId}/reinstate', { params: { path: { delistingId: delisting.id } }, body: { reason: reason.trim() } })),
    onSuccess: async () => {
      setReinstating(null);
      setReason('');
      await client.invalidateQueries({ queryKey: ['quality'] });
    },
  });
  return (
    <Card title={t('delistingsTitle')}>
      <ApiErrorAlert error={delistings.error} />
      <Table<Delisting>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={delistings.isLoading}
        dataSource={delistings.data?.data ?? []}
        locale={{ emptyText: <EmptyState description={t('empty')} /> }}
        expandable={{
          expandedRowRender: (delisting) => (
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('window')}>
                {formatDateTime(delisting.evidence.windowFrom, timeZone)} – {formatDateTime(delisting.evidence.windowTo, timeZone)}
              </Descriptions.Item>
              <Descriptions.Item
                label={t('orders')}
              >{`${delisting.evidence.ordersCounted}: ${delisting.evidence.orderIds.slice(0, 20).join(', ')}${delisting.evidence.orderIds.length > 20 ? ' …' : ''}`}</Descriptions.Item>
              {delisting.reinstatedAt && (
                <Descriptions.Item label={t('reinstatedBy')}>{`${formatDateTime(delisting.reinstatedAt, timeZone)} · ${delisting.reinstatementReason ?? ''}`}</Descriptions.Item>
              )}
            </Descriptions>
          ),
        }}
        columns={[
          { title: t('createdAt'), key: 'at', render: (_, delisting) => formatDateTime(delisting.createdAt, timeZone) },
          { title: t('sku'), dataIndex: 'skuId' },
          { title: t('metric'), key: 'metric', render: (_, delisting) => t(delisting.evidence.metric as 'return_rate' | 'bad_review_rate' | 'overdue_share') },
          { title: t('value'), key: 'value', align: 'right', render: (_, delisting) => `${delisting.evidence.valuePercent}% > ${delisting.evidence.thresholdPercent}%` },
          { title: t('figures'), key: 'figures', align: 'right', render: (_, delisting) => `${delisting.evidence.numerator} / ${delisting.evidence.denominator}` },
          { title: t('status'), key: 'status', render: (_, delisting) => <Tag color={STATUS_COLOR[delisting.status]}>{t(delisting.status as 'suspended' | 'warned' | 'reinstated')}</Tag> },
          {
            title: '',
            key: 'ops',
            render: (_, delisting) =>
              delisting.status === 'reinstated' ? null : (
                <Button size="small" onClick={() => setReinstating(delisting)} data-testid={`delisting-reinstate-${delisting.id}`}>
                  {t('reinstate')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={reinstating !== null}
        title={t('reinstate')}
        okText={t('reinstate')}
        cancelText={t('cancel')}
        okButtonProps={{ disabled: reason.trim().length === 0 || reason.length > 500 }}
        confirmLoading={reinstate.isPending}
        onCancel={() => setReinstating(null)}
        onOk={() => reinstating && reinstate.mutate(reinstating)}
      >
        <p>{t('reinstateConfirm')}</p>
        <ApiErrorAlert error={reinstate.error} />
        <Input.TextArea value={reason} maxLength={500} placeholder={t('reason')} onChange={(event) => setReason(event.target.value)} />
      </Modal>
    </Card>
  );
}
