import { Tag } from 'antd';
import { api, ok, Schemas } from '../../api/client';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { textOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';

export type Entry = Schemas['EntryResponseDto'];

export function useEntryKind() {
  const t = useT(financeMessages);
  return (kind: string) => (['goods', 'shipping', 'refund', 'adjustment', 'payment', 'top_up'].includes(kind) ? t(`kind.${kind as 'goods'}`) : kind);
}

/** A statement's entry lines, oldest first, paged. */
export function StatementEntries({ statementId }: { statementId: string }) {
  const t = useT(financeMessages);
  const kindLabel = useEntryKind();
  return (
    <CursorTable<Entry>
      queryKey={['finance', 'entries', statementId]}
      fetchPage={(cursor) => ok(api.GET('/v1/statements/{statementId}/entries', { params: { path: { statementId }, query: { cursor, limit: 20 } } }))}
      rowKey="id"
      onRow={(row) => ({ 'data-testid': `finance-entry-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
      empty={t('emptyEntries')}
      columns={[
        { title: t('occurredAt'), key: 'at', render: (_, row) => <DateTime at={row.occurredAt} /> },
        {
          title: t('kind'),
          key: 'kind',
          render: (_, row) => (
            <>
              {kindLabel(row.kind)}
              {row.originalPeriod ? <Tag style={{ marginInlineStart: 8 }}>{t('carriedFrom', { period: String(row.originalPeriod) })}</Tag> : null}
            </>
          ),
        },
        { title: t('orderNo'), key: 'order', render: (_, row) => textOf(row.externalOrderId) ?? '—' },
        { title: t('sku'), key: 'sku', render: (_, row) => textOf(row.skuCode) ?? '—' },
        { title: t('quantity'), key: 'quantity', align: 'right', render: (_, row) => textOf(row.quantity) ?? '—' },
        { title: t('unitPrice'), key: 'unitPrice', align: 'right', render: (_, row) => (row.unitPrice ? <Yuan value={row.unitPrice} /> : '—') },
        { title: t('amount'), key: 'amount', align: 'right', render: (_, row) => <Yuan value={row.amount} /> },
        { title: t('note'), key: 'reason', render: (_, row) => textOf(row.reason) ?? '' },
      ]}
    />
  );
}
