import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Select, Space, Statistic, Table } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useTimeZone } from '../../auth/session';
import { formatMoney, localMonth } from '../../format';
import { useT } from '../../i18n/i18n';
import { recentMonths, Yuan } from './finance-kit';
import { financeMessages } from './messages';

type PartnerMargin = Schemas['PartnerMarginDto'];
type SkuMargin = Schemas['SkuMarginDto'];

/** A broker's margin for a month (its own hops only): billed downstream − owed upstream, by partner and by SKU. */
export function MarginsPage() {
  const t = useT(financeMessages);
  const timeZone = useTimeZone();
  const [params, setParams] = useSearchParams();
  const period = /^\d{4}-\d{2}$/.test(params.get('period') ?? '') ? (params.get('period') as string) : localMonth(timeZone);
  const margins = useQuery({ queryKey: ['finance', 'margins', period], queryFn: () => ok(api.GET('/v1/settlement/margins', { params: { query: { period } } })) });
  const byPartner = margins.data?.byPartner ?? [];
  const bySku = margins.data?.bySku ?? [];
  const currency = byPartner[0]?.margin.currency ?? 'CNY';
  const total = byPartner.reduce((sum, row) => sum + row.margin.amount, 0);
  const figures = [
    { title: t('billed'), key: 'billed', render: (_: unknown, row: PartnerMargin | SkuMargin) => <Yuan value={row.billed} />, align: 'right' as const },
    { title: t('owed'), key: 'owed', render: (_: unknown, row: PartnerMargin | SkuMargin) => <Yuan value={row.owed} />, align: 'right' as const },
    { title: t('margin'), key: 'margin', render: (_: unknown, row: PartnerMargin | SkuMargin) => <Yuan value={row.margin} />, align: 'right' as const },
  ];
  return (
    <Card
      title={t('marginsTitle')}
      extra={
        <Space>
          {t('month')}
          <Select
            value={period}
            onChange={(value: string) => setParams({ period: value }, { replace: true })}
            style={{ width: 140 }}
            data-testid="finance-margins-period"
            options={recentMonths(timeZone, period).map((value) => ({ value, label: value }))}
          />
        </Space>
      }
    >
      <ApiErrorAlert error={margins.error} />
      <Statistic title={t('totalMargin')} value={formatMoney(total, currency)} style={{ marginBottom: 16 }} />
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card type="inner" title={t('byPartner')}>
            <Table<PartnerMargin>
              rowKey="merchantId"
              size="middle"
              pagination={false}
              loading={margins.isLoading}
              dataSource={byPartner}
              locale={{ emptyText: <EmptyState description={t('emptyMargins')} /> }}
              columns={[{ title: t('partner'), dataIndex: 'name' }, ...figures]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card type="inner" title={t('bySku')}>
            <Table<SkuMargin>
              rowKey={(row) => row.skuId ?? row.skuCode ?? '—'}
              size="middle"
              pagination={false}
              loading={margins.isLoading}
              dataSource={bySku}
              locale={{ emptyText: <EmptyState description={t('emptyMargins')} /> }}
              columns={[{ title: t('sku'), key: 'sku', render: (_, row) => row.skuCode ?? '—' }, ...figures]}
            />
          </Card>
        </Col>
      </Row>
    </Card>
  );
}
