import { Button, Card, Select, Space, TableColumnsType, Tabs, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { CursorTable } from '../../components/cursor-table';
import { useTimeZone } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { recentMonths, Side, sideOf, Statement, STATEMENT_STATUSES, StatementStatus, StatementStatusTag, Yuan } from './finance-kit';
import { financeMessages } from './messages';

type Translate = ReturnType<typeof useT<keyof (typeof financeMessages)['zh-CN']>>;

/** Month, counterparty, status and the figures, as the api gives them. */
function statementColumns(t: Translate): TableColumnsType<Statement> {
  return [
    { title: t('month'), dataIndex: 'period' },
    {
      title: t('counterparty'),
      key: 'counterparty',
      render: (_, row) => <Typography.Text strong>{row.yourSide === 'receivable' ? row.payer.name : row.payee.name}</Typography.Text>,
    },
    { title: t('invoiceStatus'), key: 'status', render: (_, row) => <StatementStatusTag status={row.status} /> },
    { title: t('goods'), key: 'goods', align: 'right', render: (_, row) => <Yuan value={row.goods} /> },
    { title: t('due'), key: 'due', align: 'right', render: (_, row) => <Yuan value={row.due} /> },
    { title: t('closingBalance'), key: 'closing', align: 'right', render: (_, row) => <Yuan value={row.closingBalance} /> },
    { title: t('outstanding'), key: 'outstanding', align: 'right', render: (_, row) => <Yuan value={row.outstanding} /> },
    { title: t('figuresState'), key: 'frozen', render: (_, row) => (row.frozen ? t('frozen') : t('live')) },
    {
      title: t('actions'),
      key: 'open',
      render: (_, row) => (
        <Link to={`/finance/statements/${row.id}`} data-testid={`finance-open-statement-${row.id}`}>
          {t('open')}
        </Link>
      ),
    },
  ];
}

/** Statements I am payee of (应收) or payer of (应付), filtered by month and status in the URL. */
export function StatementsPage() {
  const t = useT(financeMessages);
  const [params, setParams] = useSearchParams();
  const timeZone = useTimeZone();
  const side = sideOf(params.get('side'));
  const period = params.get('period') ?? '';
  const status = (STATEMENT_STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as StatementStatus) : undefined;
  const counterpartyMerchantId = params.get('counterpartyMerchantId') ?? undefined;
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const query = { side, period: /^\d{4}-\d{2}$/.test(period) ? period : undefined, status, counterpartyMerchantId };
  return (
    <Card title={t('statementsTitle')}>
      <Tabs
        activeKey={side}
        onChange={(key) => setParam('side', key)}
        items={(['receivable', 'payable'] as Side[]).map((key) => ({ key, label: <span data-testid={`finance-side-${key}`}>{t(`side.${key}`)}</span> }))}
      />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          placeholder={t('anyMonth')}
          value={period || undefined}
          onChange={(value?: string) => setParam('period', value)}
          style={{ width: 160 }}
          data-testid="finance-filter-period"
          options={recentMonths(timeZone, period).map((value) => ({ value, label: value }))}
        />
        <Select
          allowClear
          placeholder={t('anyStatus')}
          value={status}
          onChange={(value?: string) => setParam('status', value)}
          style={{ width: 160 }}
          data-testid="finance-filter-status"
          options={STATEMENT_STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
        />
      </Space>
      <CursorTable<Statement>
        queryKey={['finance', 'statements', query]}
        fetchPage={(cursor) => ok(api.GET('/v1/statements', { params: { query: { ...query, cursor, limit: 20 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `finance-statement-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={side === 'receivable' ? t('emptyReceivable') : t('emptyPayable')}
        emptyAction={
          side === 'receivable' ? (
            <Link to="/finance/periods">
              <Button type="primary">{t('periodsTitle')}</Button>
            </Link>
          ) : undefined
        }
        columns={statementColumns(t)}
      />
    </Card>
  );
}
