import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, download, ok, Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { batchesMessages } from './batches-messages';
import { useWarehouses } from './data';

type Batch = Schemas['OrderSheetBatchResponseDto'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "10:00, 14:00 18:00" → the distinct times, sorted (commas, Chinese commas or spaces between them). */
function parseTimes(text: string): string[] {
  return [...new Set(text.split(/[,，、\s]+/).filter(Boolean))].sort();
}

/** The warehouse's cut times (HH:MM, typed in one field), saved with PUT …/sheet-schedule. */
function ScheduleCard({ warehouseId }: { warehouseId: string }) {
  const t = useT(batchesMessages);
  const session = useSession();
  const queryClient = useQueryClient();
  const schedule = useQuery({
    queryKey: ['warehouse', 'sheet-schedule', warehouseId],
    queryFn: () => ok(api.GET('/v1/warehouses/{warehouseId}/sheet-schedule', { params: { path: { warehouseId } } })),
  });
  const [text, setText] = useState('');
  useEffect(() => setText((schedule.data?.times ?? []).join(', ')), [schedule.data]);
  const times = parseTimes(text);
  const save = useMutation({
    mutationFn: () => ok(api.PUT('/v1/warehouses/{warehouseId}/sheet-schedule', { params: { path: { warehouseId } }, body: { times, timeZone: schedule.data?.timeZone } })),
    onSuccess: (saved) => queryClient.setQueryData(['warehouse', 'sheet-schedule', warehouseId], saved),
  });
  const invalid = times.filter((time) => !TIME.test(time));
  return (
    <Card size="small" title={t('scheduleTitle')} data-testid="batches-schedule">
      <Typography.Paragraph type="secondary">{t('scheduleHelp')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('times')} validateStatus={invalid.length ? 'error' : undefined} help={invalid.length ? t('timesInvalid') : undefined}>
          <Input value={text} onChange={(event) => setText(event.target.value)} placeholder={t('timesPlaceholder')} style={{ maxWidth: 360 }} data-testid="batches-times" />
        </Form.Item>
        <Space wrap>
          <span>
            {t('timeZone')}: <Typography.Text code>{schedule.data?.timeZone ?? '—'}</Typography.Text>
          </span>
          <span data-testid="batches-next-cut">
            {t('nextCutAt')}: {schedule.data?.nextCutAt ? <DateTime at={schedule.data.nextCutAt} /> : t('none')}
          </span>
          {session.can('fulfillment:write') && (
            <Button type="primary" onClick={() => save.mutate()} loading={save.isPending} disabled={invalid.length > 0 || times.length > 12} data-testid="batches-save-schedule">
              {t('saveSchedule')}
            </Button>
          )}
          {save.isSuccess && !save.isPending && <Tag color="green">{t('scheduleSaved')}</Tag>}
        </Space>
        <ApiErrorAlert error={save.error ?? schedule.error} />
      </Form>
    </Card>
  );
}

function DownloadButton({ batch }: { batch: Batch }) {
  const t = useT(batchesMessages);
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setError(null);
    setBusy(true);
    try {
      await download(`/v1/order-sheet-batches/${batch.id}/file.xlsx?language=${language}`, `order-sheet-batch-${batch.number}.xlsx`);
      await queryClient.invalidateQueries({ queryKey: ['warehouse', 'order-sheet-batches'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical">
      <Button onClick={() => void run()} loading={busy} data-testid={`batch-download-${batch.number}`}>
        {t('download')}
      </Button>
      <ApiErrorAlert error={error} />
    </Space>
  );
}

/** 发货批次: a warehouse's cut times, its batches (newest first) with their files, and "cut one now". */
export function BatchesPage() {
  const t = useT(batchesMessages);
  const session = useSession();
  const queryClient = useQueryClient();
  const { warehouses, isLoading } = useWarehouses();
  const [chosen, setChosen] = useState<string | undefined>();
  const warehouseId = chosen ?? warehouses[0]?.id;
  const cut = useMutation({
    mutationFn: () => ok(api.POST('/v1/warehouses/{warehouseId}/order-sheet-batches', { params: { path: { warehouseId: warehouseId! } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['warehouse', 'order-sheet-batches'] }),
  });
  return (
    <Card
      title={t('title')}
      loading={isLoading}
      extra={
        <Space>
          <Select
            value={warehouseId}
            onChange={(value: string) => {
              setChosen(value);
              cut.reset();
            }}
            options={warehouses.map((warehouse) => ({ value: warehouse.id, label: `${warehouse.code} ${warehouse.name}` }))}
            style={{ minWidth: 200 }}
            aria-label={t('warehouse')}
            data-testid="batches-warehouse"
          />
          {session.can('fulfillment:write') && warehouseId && (
            <Button type="primary" onClick={() => cut.mutate()} loading={cut.isPending} data-testid="batches-cut-now">
              {t('cutNow')}
            </Button>
          )}
        </Space>
      }
    >
      {warehouseId && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          {cut.data && <Alert type="success" showIcon message={t('cutDone', { n: cut.data.number })} data-testid="batches-cut-done" />}
          <ApiErrorAlert error={cut.error} />
          <ScheduleCard key={warehouseId} warehouseId={warehouseId} />
          <Typography.Title level={5}>{t('batchesTitle')}</Typography.Title>
          <CursorTable<Batch>
            rowKey="id"
            queryKey={['warehouse', 'order-sheet-batches', warehouseId]}
            fetchPage={(cursor) => ok(api.GET('/v1/order-sheet-batches', { params: { query: { warehouseId, cursor, limit: 20 } } }))}
            refetchInterval={30_000}
            onRow={(batch) => ({ 'data-testid': `batch-row-${batch.number}` }) as React.HTMLAttributes<HTMLElement>}
            empty={t('batchesEmpty')}
            columns={[
              { title: t('number'), dataIndex: 'number', render: (number: number) => `#${number}` },
              { title: t('cutAt'), key: 'cutAt', render: (_, batch) => <DateTime at={batch.cutAt} /> },
              { title: t('trigger'), key: 'trigger', render: (_, batch) => t(batch.trigger === 'manual' ? 'trigger_manual' : 'trigger_schedule') },
              { title: t('orderCount'), dataIndex: 'orderCount' },
              { title: t('cancelledCount'), key: 'cancelledCount', render: (_, batch) => (batch.cancelledCount > 0 ? <Tag color="red">{batch.cancelledCount}</Tag> : 0) },
              { title: t('firstDownloadedAt'), key: 'downloaded', render: (_, batch) => (batch.firstDownloadedAt ? <DateTime at={batch.firstDownloadedAt} /> : t('notDownloaded')) },
              { title: '', key: 'download', render: (_, batch) => <DownloadButton batch={batch} /> },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
