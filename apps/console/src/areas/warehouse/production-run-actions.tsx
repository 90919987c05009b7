import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { ApiErrorAlert } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { ProductionRun } from './labels';
import { productionRunsMessages } from './production-runs-messages';

/** Confirming or cancelling a run: one Idempotency-Key per open dialog, the lists reloaded after. */
function useRunDecision<Body>(send: (runId: string, body: Body, key: string) => Promise<ProductionRun>, run: ProductionRun, onDone: (saved: ProductionRun) => void) {
  const queryClient = useQueryClient();
  const key = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: Body) => send(run.id, body, key.current()),
    onSettled: (_data, error) => key.settle(error ?? undefined),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['warehouse'] });
      onDone(saved);
    },
  });
}

const confirmRun = (runId: string, body: { produceBelowMinimum: boolean }, key: string) =>
  ok(api.POST('/v1/production-runs/{runId}/confirm', { params: { path: { runId }, header: { 'Idempotency-Key': key } }, body }));

const cancelRun = (runId: string, body: { reason: string }, key: string) =>
  ok(api.POST('/v1/production-runs/{runId}/cancel', { params: { path: { runId }, header: { 'Idempotency-Key': key } }, body }));

/** 确认生产: a dialog saying what follows; below the minimum batch it asks for 低于起订量仍生产 first. */
function ConfirmRunModal({ run, onClose }: { run: ProductionRun; onClose: () => void }) {
  const t = useT(productionRunsMessages);
  const { message } = App.useApp();
  const [anyway, setAnyway] = useState(false);
  const mutation = useRunDecision(confirmRun, run, (saved) => {
    void message.success(t('confirmed', { date: saved.promisedShipDate ?? '—' }));
    onClose();
  });
  return (
    <Modal
      open
      title={t('confirmTitle')}
      onCancel={onClose}
      onOk={() => mutation.mutate({ produceBelowMinimum: run.belowMinimum && anyway })}
      okText={t('confirmOk')}
      confirmLoading={mutation.isPending}
      okButtonProps={{ disabled: run.belowMinimum && !anyway, 'data-testid': 'production-run-confirm-ok' }}
      destroyOnHidden
    >
      <ApiErrorAlert error={mutation.error} />
      <Space orientation="vertical" style={{ width: '100%' }}>
        {run.belowMinimum && <Alert type="warning" showIcon title={t('confirmBelow', { units: run.units, min: run.minBatchUnits })} data-testid="production-run-below-warning" />}
        <Typography.Paragraph>{t('confirmExplain', { units: run.units, orders: run.orderCount, days: run.leadTimeDays })}</Typography.Paragraph>
        {run.belowMinimum && (
          <Checkbox checked={anyway} onChange={(event) => setAnyway(event.target.checked)} data-testid="production-run-below-minimum">
            {t('produceBelowMinimum')}
          </Checkbox>
        )}
      </Space>
    </Modal>
  );
}

/** 取消批次 (below the minimum batch only): the reason is required, every cancelled order carries it. */
function CancelRunModal({ run, onClose }: { run: ProductionRun; onClose: () => void }) {
  const t = useT(productionRunsMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const mutation = useRunDecision(cancelRun, run, () => {
    void message.success(t('cancelled'));
    onClose();
  });
  return (
    <Modal
      open
      title={t('cancelTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('cancelOk')}
      okButtonProps={{ danger: true, 'data-testid': 'production-run-cancel-ok' }}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <ApiErrorAlert error={mutation.error} />
      <Typography.Paragraph>{t('cancelExplain', { units: run.units, orders: run.orderCount, min: run.minBatchUnits })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => mutation.mutate({ reason: values.reason.trim() })}>
        <Form.Item name="reason" label={t('cancelReason')} rules={[{ required: true, whitespace: true, message: t('cancelReasonRequired') }, { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder={t('cancelReasonPlaceholder')} data-testid="production-run-cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The supplier's decision on a closed run: 确认生产, and 取消批次 when it is below its minimum batch. */
export function ProductionRunActions({ run }: { run: ProductionRun }) {
  const t = useT(productionRunsMessages);
  const [open, setOpen] = useState<'confirm' | 'cancel' | null>(null);
  return (
    <Space>
      <Button type="primary" size="small" onClick={() => setOpen('confirm')} data-testid={`production-run-confirm-${run.id}`}>
        {t('confirm')}
      </Button>
      {run.belowMinimum && (
        <Button danger size="small" onClick={() => setOpen('cancel')} data-testid={`production-run-cancel-${run.id}`}>
          {t('cancel')}
        </Button>
      )}
      {open === 'confirm' && <ConfirmRunModal run={run} onClose={() => setOpen(null)} />}
      {open === 'cancel' && <CancelRunModal run={run} onClose={() => setOpen(null)} />}
    </Space>
  );
}
