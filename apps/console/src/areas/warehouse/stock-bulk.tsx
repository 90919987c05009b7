import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { api, idempotencyKey, ok, Schemas } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { dottedField } from './labels';
import { warehouseMessages } from './messages';
import { parseStockLines, StockLine, stockUpdatesOf } from './stock-lines';

type Result = Schemas['StockUpdateResultDto'];

interface Row extends StockLine {
  outcome: 'pending' | 'applied' | 'duplicate' | 'rejected' | 'skipped';
  reason?: string;
  available?: number;
}

/** The api refuses the whole batch and names rows as `updates.N.field`: put each reason on its pasted line. */
function rejectedRows(lines: StockLine[], error: unknown, known: (reason: string) => string | undefined): Row[] | null {
  if (!(error instanceof ApiError)) return null;
  const sent = lines.filter((line) => !line.problem);
  const reasons = new Map<number, string>();
  for (const detail of error.details) {
    const match = /^updates\.(\d+)(?:\.(\w+))?/.exec(dottedField(detail.field) ?? '');
    if (match && sent[Number(match[1])]) reasons.set(sent[Number(match[1])].lineNo, known(detail.reason) ?? [match[2], detail.reason].filter(Boolean).join(': '));
  }
  if (reasons.size === 0) return null;
  return lines.map((line) => (reasons.has(line.lineNo) ? { ...line, outcome: 'rejected', reason: reasons.get(line.lineNo) } : { ...line, outcome: 'pending' }));
}

/** Each pasted line with the api's result for it (lines the page did not send say why). */
function appliedRows(lines: StockLine[], results: Result[], problemText: Record<NonNullable<StockLine['problem']>, string>): Row[] {
  const sent = lines.filter((line) => !line.problem);
  return lines.map((line): Row => {
    if (line.problem) return { ...line, outcome: 'skipped', reason: problemText[line.problem] };
    const result: Result | undefined = results[sent.indexOf(line)];
    return { ...line, outcome: result?.status ?? 'applied', available: result?.available };
  });
}

/** The pasted text without the given line numbers (1-based). */
function withoutLines(text: string, lineNos: Set<number>): string {
  return text
    .split(/\r?\n/)
    .filter((_, index) => !lineNos.has(index + 1))
    .join('\n');
}

/** Pasted lines "SKU编码,仓库编码,数量" → one request (all or nothing), then each line's outcome. */
export function BulkStockUpdate() {
  const t = useT(warehouseMessages);
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [rows, setRows] = useState<Row[] | null>(null);
  const batchKey = useRef(idempotencyKey());
  const lines = parseStockLines(text);
  const knownReasons: Record<string, string> = { 'not one of your SKUs': t('bulkUnknownSku'), 'not one of your warehouses': t('bulkUnknownWarehouse') };
  const problemText = { columns: t('bulkBadColumns'), quantity: t('bulkBadQuantity'), duplicate: t('bulkDuplicate') };

  const mutation = useMutation({
    mutationFn: (sendLines: StockLine[]) => ok(api.POST('/v1/stock-updates', { body: { updates: stockUpdatesOf(sendLines, batchKey.current) } })),
    onSuccess: (answer, sendLines) => {
      setRows(appliedRows(sendLines, answer.results, problemText));
      batchKey.current = idempotencyKey();
      void queryClient.invalidateQueries({ queryKey: ['warehouse', 'stock'] });
    },
    onError: (error, sendLines) => {
      batchKey.current = idempotencyKey();
      setRows(rejectedRows(sendLines, error, (reason) => knownReasons[reason]));
    },
  });

  const send = () => {
    setRows(null);
    mutation.reset();
    mutation.mutate(lines);
  };
  const dropRejected = () => {
    const rejected = new Set((rows ?? []).filter((row) => row.outcome === 'rejected' || row.problem).map((row) => row.lineNo));
    setText(withoutLines(text, rejected));
    setRows(null);
    mutation.reset();
  };
  const valid = lines.filter((line) => !line.problem).length;
  const hasRejected = (rows ?? []).some((row) => row.outcome === 'rejected');

  return (
    <Card title={t('bulkTitle')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('bulkHelp')}</Typography.Paragraph>
      <Input.TextArea
        rows={6}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={'TSHIRT-M,ZJ,120\nMUG-350,GD,+20'}
        data-testid="stock-bulk-text"
        style={{ fontFamily: 'monospace' }}
      />
      <Space style={{ margin: '12px 0' }} wrap>
        <Button type="primary" disabled={valid === 0} loading={mutation.isPending} onClick={send} data-testid="stock-bulk-submit">
          {t('bulkSubmit', { n: valid })}
        </Button>
        {hasRejected && (
          <Button onClick={dropRejected} data-testid="stock-bulk-drop-rejected">
            {t('bulkDropRejected')}
          </Button>
        )}
        {lines.some((line) => line.problem) && <Typography.Text type="warning">{t('bulkLocalProblems', { n: lines.filter((line) => line.problem).length })}</Typography.Text>}
      </Space>
      {mutation.isSuccess && (
        <Alert type="success" showIcon title={t('bulkApplied', { n: rows?.filter((row) => row.outcome === 'applied').length ?? 0 })} style={{ marginBottom: 12 }} data-testid="stock-bulk-applied" />
      )}
      {mutation.isError && (
        <>
          <Alert type="error" showIcon title={t('bulkNothingApplied')} style={{ marginBottom: 12 }} />
          <ApiErrorAlert error={mutation.error} />
        </>
      )}
      <BulkRows rows={rows ?? lines.map((line) => ({ ...line, outcome: line.problem ? 'skipped' : 'pending', reason: line.problem ? problemText[line.problem] : undefined }))} />
    </Card>
  );
}

function BulkRows({ rows }: { rows: Row[] }) {
  const t = useT(warehouseMessages);
  if (rows.length === 0) return null;
  const colors: Record<Row['outcome'], string> = { pending: 'default', applied: 'green', duplicate: 'blue', rejected: 'red', skipped: 'orange' };
  return (
    <Table<Row>
      rowKey="lineNo"
      size="small"
      pagination={false}
      dataSource={rows}
      onRow={(row) => ({ 'data-testid': `stock-bulk-row-${row.lineNo}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('bulkLine'), dataIndex: 'lineNo', width: 70 },
        { title: t('skuCode'), dataIndex: 'skuCode' },
        { title: t('warehouseCode'), dataIndex: 'warehouseCode' },
        { title: t('quantity'), key: 'quantity', render: (_, row) => (row.delta !== undefined ? (row.delta > 0 ? `+${row.delta}` : row.delta) : (row.onHand ?? '—')) },
        { title: t('bulkOutcome'), key: 'outcome', render: (_, row) => <Tag color={colors[row.outcome]}>{t(`bulk_${row.outcome}`)}</Tag> },
        { title: t('bulkReason'), key: 'reason', render: (_, row) => row.reason ?? (row.available !== undefined ? t('bulkAvailable', { n: row.available }) : '') },
      ]}
    />
  );
}
