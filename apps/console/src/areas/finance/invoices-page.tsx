import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, Modal, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useSession, useTimeZone } from '../../auth/session';
import { localToday } from '../../format';
import { useT } from '../../i18n/i18n';
import { Side, sideOf, textOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';

type InvoiceRequest = Schemas['InvoiceRequestResponseDto'];
const STATUS_COLORS: Record<string, string> = { requested: 'processing', issued: 'success', rejected: 'error' };

/** The payee issues the requested invoice (its number and date) or rejects it with a reason. */
function InvoiceDialog({ request, kind, onClose }: { request: InvoiceRequest; kind: 'issue' | 'reject'; onClose: () => void }) {
  const t = useT(financeMessages);
  const timeZone = useTimeZone();
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ invoiceNumber: string; issuedOn: string; reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const path = { path: { invoiceRequestId: request.id } };
  const save = useMutation({
    mutationFn: (values: { invoiceNumber: string; issuedOn: string; reason: string }) =>
      kind === 'issue'
        ? ok(api.POST('/v1/invoice-requests/{invoiceRequestId}/issue', { params: path, body: { invoiceNumber: values.invoiceNumber, issuedOn: values.issuedOn } }))
        : ok(api.POST('/v1/invoice-requests/{invoiceRequestId}/reject', { params: path, body: { reason: values.reason } })),
    onSuccess: async () => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['finance'] });
      onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal
      open
      title={`${kind === 'issue' ? t('issueInvoice') : t('rejectInvoice')} · ${request.title}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ danger: kind === 'reject', loading: save.isPending, 'data-testid': 'finance-invoice-dialog-submit' }}
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ issuedOn: localToday(timeZone) }} onFinish={(values) => save.mutate(values)}>
        {kind === 'issue' ? (
          <>
            <Form.Item name="invoiceNumber" label={t('invoiceNumber')} rules={[{ required: true }]}>
              <Input data-testid="finance-invoice-number" />
            </Form.Item>
            <Form.Item name="issuedOn" label={t('issuedOn')} rules={[{ required: true }]}>
              <Input type="date" data-testid="finance-invoice-issued-on" />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="reason" label={t('rejectReason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} data-testid="finance-invoice-reject-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Invoice requests made to me (I issue them) or by me (I follow them). */
export function InvoicesPage() {
  const t = useT(financeMessages);
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const side = sideOf(params.get('side'));
  const [dialog, setDialog] = useState<{ request: InvoiceRequest; kind: 'issue' | 'reject' } | null>(null);
  const statusLabel = (status: string) => (['requested', 'issued', 'rejected'].includes(status) ? t(`invoice.${status as 'requested'}`) : status);
  return (
    <Card title={t('invoicesTitle')}>
      <Tabs
        activeKey={side}
        onChange={(key) => setParams({ side: key }, { replace: true })}
        items={(['receivable', 'payable'] as Side[]).map((key) => ({ key, label: <span data-testid={`finance-invoices-side-${key}`}>{t(`side.${key}`)}</span> }))}
      />
      <CursorTable<InvoiceRequest>
        queryKey={['finance', 'invoices', side]}
        fetchPage={(cursor) => ok(api.GET('/v1/invoice-requests', { params: { query: { side, cursor } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `finance-invoice-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={side === 'receivable' ? t('emptyInvoicesReceivable') : t('emptyInvoicesPayable')}
        columns={[
          { title: t('requestedAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
          { title: t('statement'), key: 'statement', render: (_, row) => <Link to={`/finance/statements/${row.statementId}`}>{t('open')}</Link> },
          { title: t('invoiceTitle'), dataIndex: 'title' },
          { title: t('taxNumber'), dataIndex: 'taxNumber' },
          { title: t('invoiceAmount'), key: 'amount', align: 'right', render: (_, row) => <Yuan value={row.amount} /> },
          { title: t('invoiceType'), key: 'type', render: (_, row) => (row.invoiceType === 'special' ? t('invoiceType.special') : t('invoiceType.normal')) },
          { title: t('invoiceStatus'), key: 'status', render: (_, row) => <Tag color={STATUS_COLORS[row.status]}>{statusLabel(row.status)}</Tag> },
          {
            title: t('invoiceNumber'),
            key: 'number',
            render: (_, row) => (row.status === 'rejected' ? textOf(row.rejectReason) : [textOf(row.invoiceNumber), textOf(row.issuedOn)].filter(Boolean).join(' · ') || '—'),
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, row) =>
              side === 'receivable' && row.status === 'requested' && can('finance:write') ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setDialog({ request: row, kind: 'issue' })} data-testid={`finance-issue-invoice-${row.id}`}>
                    {t('issueInvoice')}
                  </Button>
                  <Button size="small" danger onClick={() => setDialog({ request: row, kind: 'reject' })} data-testid={`finance-reject-invoice-${row.id}`}>
                    {t('rejectInvoice')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {dialog && <InvoiceDialog request={dialog.request} kind={dialog.kind} onClose={() => setDialog(null)} />}
    </Card>
  );
}
