import { Descriptions, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Schemas } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { textOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';

type Report = Schemas['ReconciliationReportResponseDto'];
type ReportRow = Report['rows'][number];
type RowStatus = ReportRow['status'];

const STATUS_KEYS: Record<RowStatus, 'matched' | 'amountDiffers' | 'onlyOurs' | 'onlyTheirs'> = {
  matched: 'matched',
  amount_differs: 'amountDiffers',
  only_ours: 'onlyOurs',
  only_theirs: 'onlyTheirs',
};
const STATUS_COLORS: Record<RowStatus, string> = { matched: 'success', amount_differs: 'error', only_ours: 'warning', only_theirs: 'purple' };

/** The match report line by line, filtered by result. */
export function ReconciliationReport({ report }: { report: Report }) {
  const t = useT(financeMessages);
  const [filter, setFilter] = useState<RowStatus | 'all'>('all');
  const rows = filter === 'all' ? report.rows : report.rows.filter((row) => row.status === filter);
  return (
    <div style={{ marginTop: 24 }} data-testid="finance-recon-report">
      <Descriptions
        size="small"
        items={[
          { key: 'ours', label: t('oursTotal'), children: <Yuan value={report.summary.oursTotal} /> },
          { key: 'theirs', label: t('theirsTotal'), children: <Yuan value={report.summary.theirsTotal} /> },
        ]}
      />
      <Tabs
        activeKey={filter}
        onChange={(key) => setFilter(key as RowStatus | 'all')}
        items={[
          { key: 'all', label: `${t('result')} (${report.rows.length})` },
          ...(Object.keys(STATUS_KEYS) as RowStatus[]).map((status) => ({ key: status, label: `${t(STATUS_KEYS[status])} (${report.rows.filter((row) => row.status === status).length})` })),
        ]}
      />
      <Table<ReportRow>
        rowKey={(row) => `${row.orderNumber}/${textOf(row.skuCode) ?? ''}/${row.status}`}
        size="small"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={rows}
        onRow={(row) => ({ 'data-testid': `finance-recon-row-${row.status}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('orderNo'), dataIndex: 'orderNumber' },
          { title: t('sku'), key: 'sku', render: (_, row) => textOf(row.skuCode) ?? '—' },
          { title: t('result'), key: 'status', render: (_, row) => <Tag color={STATUS_COLORS[row.status]}>{t(STATUS_KEYS[row.status])}</Tag> },
          { title: t('ours'), key: 'ours', align: 'right', render: (_, row) => (row.ours ? <Yuan value={row.ours} /> : '—') },
          { title: t('theirs'), key: 'theirs', align: 'right', render: (_, row) => (row.theirs ? <Yuan value={row.theirs} /> : '—') },
          { title: t('difference'), key: 'difference', align: 'right', render: (_, row) => (row.difference ? <Yuan value={row.difference} /> : '—') },
          { title: t('quantity'), key: 'quantity', align: 'right', render: (_, row) => [textOf(row.ourQuantity), textOf(row.theirQuantity)].map((value) => value ?? '—').join(' / ') },
          { title: t('row'), key: 'row', align: 'right', render: (_, row) => textOf(row.rowNumber) ?? '—' },
        ]}
      />
    </div>
  );
}
