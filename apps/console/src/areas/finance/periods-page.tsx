import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton, DateTime, EmptyState } from '../../components/widgets';
import { useSession, useSessionState } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { commonMessages } from '../../components/common-messages';
import { financeMessages } from './messages';

type Period = Schemas['PeriodResponseDto'];

/** 结账: the payee's months, each closed once (in order) after a confirmation that says it cannot be undone. */
function PeriodsCard() {
  const t = useT(financeMessages);
  const { can } = useSession();
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const periods = useQuery({ queryKey: ['finance', 'periods'], queryFn: () => ok(api.GET('/v1/settlement/periods')) });
  const close = useMutation({
    mutationFn: (period: string) => ok(api.POST('/v1/settlement/periods/{period}/close', { params: { path: { period } } })),
    onSuccess: async (closed) => {
      void message.success(t('closedDone', { period: closed.period, n: closed.statements }));
      await queries.invalidateQueries({ queryKey: ['finance'] });
    },
  });
  return (
    <Card title={t('periodsTitle')} style={{ marginBottom: 16 }}>
      <ApiErrorAlert error={periods.error ?? close.error} />
      <Table<Period>
        rowKey="period"
        size="middle"
        pagination={false}
        loading={periods.isLoading}
        dataSource={periods.data?.data ?? []}
        onRow={(row) => ({ 'data-testid': `finance-period-${row.period}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <EmptyState description={t('emptyReceivable')} /> }}
        columns={[
          { title: t('month'), dataIndex: 'period' },
          {
            title: t('invoiceStatus'),
            key: 'status',
            render: (_, row) => (
              <Tag color={row.status === 'closed' ? 'success' : 'processing'} data-testid={`finance-period-status-${row.period}`}>
                {row.status === 'closed' ? t('periodClosed') : t('periodOpen')}
              </Tag>
            ),
          },
          { title: t('statementCount'), dataIndex: 'statements', align: 'right' },
          {
            title: t('closedAt'),
            key: 'closedAt',
            render: (_, row) =>
              row.closedAt ? (
                <Space>
                  <DateTime at={String(row.closedAt)} />
                  {row.closedAutomatically ? t('closedAuto') : t('closedByHand')}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: t('actions'),
            key: 'close',
            render: (_, row) =>
              row.status === 'open' && can('finance:write') ? (
                <ConfirmButton
                  type="primary"
                  title={<div style={{ maxWidth: 320 }}>{t('closeConfirm', { period: row.period })}</div>}
                  onConfirm={() => close.mutate(row.period)}
                  loading={close.isPending && close.variables === row.period}
                  testId={`finance-close-${row.period}`}
                >
                  {t('closeMonth')}
                </ConfirmButton>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

interface SettingsForm {
  timeZone: string;
  autoCloseAfterDays: number | null;
}

/** The payee's settlement time zone and how many days after month end a month closes by itself. */
function SettingsCard() {
  const t = useT(financeMessages);
  const tc = useT(commonMessages);
  const { can } = useSession();
  const { refresh: refreshSession } = useSessionState();
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const settings = useQuery({ queryKey: ['finance', 'settings'], queryFn: () => ok(api.GET('/v1/settlement/settings')) });
  const save = useMutation({
    mutationFn: (values: SettingsForm) =>
      ok(api.PUT('/v1/settlement/settings', { body: { timeZone: values.timeZone, autoCloseAfterDays: (values.autoCloseAfterDays ?? null) as unknown as Record<string, never> | null } })),
    onSuccess: async () => {
      setError(null);
      setProblems([]);
      void message.success(t('saved'));
      // The session carries the merchant's time zone: re-read it so every date shows in the new one.
      await refreshSession();
      await queries.invalidateQueries({ queryKey: ['finance'] });
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  if (!settings.data) return <ApiErrorAlert error={settings.error} />;
  return (
    <Card title={t('settingsTitle')}>
      <ApiErrorAlert error={error} problems={problems} />
      <Form<SettingsForm>
        form={form}
        layout="inline"
        initialValues={{ timeZone: settings.data.timeZone, autoCloseAfterDays: (settings.data.autoCloseAfterDays as unknown as number | null) ?? null }}
        onFinish={(values) => save.mutate(values)}
        disabled={!can('finance:write')}
      >
        <Form.Item name="timeZone" label={t('timeZone')} rules={[{ required: true }]}>
          <Input style={{ width: 200 }} data-testid="finance-settings-timezone" />
        </Form.Item>
        <Form.Item name="autoCloseAfterDays" label={t('autoClose')} extra={t('autoCloseHelp')}>
          <InputNumber min={0} max={28} precision={0} style={{ width: 100 }} data-testid="finance-settings-autoclose" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="finance-settings-save">
            {tc('save')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

export function PeriodsPage() {
  return (
    <>
      <PeriodsCard />
      <SettingsCard />
    </>
  );
}
