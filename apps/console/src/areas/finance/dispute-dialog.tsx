import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Checkbox, Form, Input, Modal, Table, TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { Statement, textOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';
import { Entry, useEntryKind } from './statement-entries';

type Translate = ReturnType<typeof useT<keyof (typeof financeMessages)['zh-CN']>>;

/** The lines to pick, each with its own reason once picked. */
function disputeColumns(input: {
  t: Translate;
  kindLabel: (kind: Entry['kind']) => string;
  picked: Record<string, string>;
  toggle: (id: string, on: boolean) => void;
  setReason: (id: string, text: string) => void;
}): TableColumnsType<Entry> {
  const { t, kindLabel, picked, toggle, setReason } = input;
  return [
    {
      key: 'pick',
      width: 48,
      render: (_, row) => <Checkbox checked={row.id in picked} onChange={(event) => toggle(row.id, event.target.checked)} data-testid={`finance-dispute-pick-${row.id}`} />,
    },
    { title: t('kind'), key: 'kind', width: 80, render: (_, row) => kindLabel(row.kind) },
    { title: t('orderNo'), key: 'order', render: (_, row) => textOf(row.externalOrderId) ?? '—' },
    { title: t('sku'), key: 'sku', render: (_, row) => textOf(row.skuCode) ?? '—' },
    { title: t('amount'), key: 'amount', align: 'right', render: (_, row) => <Yuan value={row.amount} /> },
    {
      title: t('lineReason'),
      key: 'reason',
      render: (_, row) =>
        row.id in picked ? <Input size="small" value={picked[row.id]} onChange={(event) => setReason(row.id, event.target.value)} data-testid={`finance-dispute-line-reason-${row.id}`} /> : null,
    },
  ];
}

/** The payer disputes chosen lines, each with its own reason, and an overall reason. */
export function DisputeDialog({ statement, onClose }: { statement: Statement; onClose: () => void }) {
  const t = useT(financeMessages);
  const kindLabel = useEntryKind();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState(false);
  const entries = useQuery({
    queryKey: ['finance', 'entries', statement.id, 'dispute'],
    queryFn: () => ok(api.GET('/v1/statements/{statementId}/entries', { params: { path: { statementId: statement.id }, query: { limit: 200 } } })),
  });
  const dispute = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/v1/statements/{statementId}/dispute', {
          params: { path: { statementId: statement.id } },
          body: { reason, lines: Object.entries(picked).map(([entryId, lineReason]) => ({ entryId, reason: lineReason })) },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['finance'] });
      onClose();
    },
  });
  const submit = () => {
    setMissing(Object.keys(picked).length === 0);
    if (Object.keys(picked).length > 0) dispute.mutate();
  };
  const toggle = (id: string, on: boolean) => {
    const next = { ...picked };
    if (on) next[id] = '';
    else delete next[id];
    setPicked(next);
  };
  return (
    <Modal
      open
      width={860}
      title={t('disputeTitle')}
      onCancel={onClose}
      onOk={submit}
      okText={t('disputeSubmit')}
      okButtonProps={{ danger: true, loading: dispute.isPending, 'data-testid': 'finance-dispute-submit' }}
    >
      <ApiErrorAlert error={entries.error ?? dispute.error} />
      {missing && <Alert type="warning" showIcon title={t('pickLine')} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label={t('disputeReason')} required>
          <Input.TextArea value={reason} onChange={(event) => setReason(event.target.value)} rows={2} data-testid="finance-dispute-reason" />
        </Form.Item>
        <Form.Item label={t('disputeLines')}>
          <Table<Entry>
            rowKey="id"
            size="small"
            pagination={false}
            loading={entries.isLoading}
            dataSource={entries.data?.data ?? []}
            scroll={{ y: 320 }}
            columns={disputeColumns({ t, kindLabel, picked, toggle, setReason: (id, text) => setPicked({ ...picked, [id]: text }) })}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
