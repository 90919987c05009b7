import { Card, Select, Space, Tag } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { RETURN_KINDS, RETURN_ORIGINS, RETURN_STATUSES, ReturnCase, ReturnStatus } from './labels';
import { warehouseMessages } from './messages';
import { ReturnDecisionTag, ReturnStatusTag } from './status-tags';

/** Return cases on the supplier's goods: approve, receive, refund. */
export function ReturnsPage() {
  const t = useT(warehouseMessages);
  const { language } = useLanguage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = RETURN_STATUSES.some((item) => item.value === raw) ? (raw as ReturnStatus) : undefined;
  const setStatus = (value?: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };
  return (
    <Card title={t('returnsTitle')}>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('filterStatus')}
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={RETURN_STATUSES.map((item) => ({ value: item.value, label: item.label[language] }))}
          data-testid="returns-filter-status"
        />
      </Space>
      <CursorTable<ReturnCase>
        rowKey="id"
        queryKey={['warehouse', 'returns', { status }]}
        fetchPage={async (cursor) => {
          const page = await ok(api.GET('/v1/returns', { params: { query: { status, cursor, limit: 50 } } }));
          // GET /v1/returns has no role filter: it lists every case the merchant takes part in (as distributor,
          // broker or supplier). The warehouse handles only the cases on its own goods, so the others are
          // filtered out here, page by page (a page may show fewer rows than the api sent).
          return { ...page, data: page.data.filter((row) => row.yourRole === 'supplier') };
        }}
        refetchInterval={5000}
        onRow={(row) => ({ 'data-testid': `return-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('returnsEmpty')}
        columns={[
          {
            title: t('returnNo'),
            key: 'id',
            render: (_, row) => (
              <Link to={`/warehouse/returns/${row.id}`} data-testid={`return-open-${row.id}`}>
                {row.id}
              </Link>
            ),
          },
          { title: t('returnKind'), key: 'kind', render: (_, row) => RETURN_KINDS[row.kind][language] },
          { title: t('returnOrigin'), key: 'origin', render: (_, row) => RETURN_ORIGINS[row.origin][language] },
          { title: t('lines'), key: 'lines', render: (_, row) => row.lines.map((line) => `${line.skuName || line.skuCode} ×${line.quantity}`).join('；') },
          { title: t('returnReason'), dataIndex: 'reason' },
          {
            title: t('status'),
            key: 'status',
            render: (_, row) => (
              <Space size={4}>
                <ReturnStatusTag status={row.status} />
                {!row.withinWindow && <Tag>{t('outsideWindow')}</Tag>}
                <ReturnDecisionTag returnCase={row} />
              </Space>
            ),
          },
          { title: t('openedAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
        ]}
      />
    </Card>
  );
}
