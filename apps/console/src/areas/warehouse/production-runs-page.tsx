import { Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { PRODUCTION_RUN_STATUSES, ProductionRun, ProductionRunStatus } from './labels';
import { ProductionRunActions } from './production-run-actions';
import { productionRunsMessages } from './production-runs-messages';

type Demand = ProductionRun['demand'][number];

export function ProductionRunStatusTag({ run }: { run: ProductionRun }) {
  const { language } = useLanguage();
  const found = PRODUCTION_RUN_STATUSES.find((item) => item.value === run.status);
  return (
    <Tag color={found?.color} data-testid={`production-run-status-${run.id}`}>
      {found?.label[language] ?? run.status}
    </Tag>
  );
}

/** What the run makes, per customization (an empty label is the plain SKU: 无定制); a cancelled run's reason under it. */
function RunDemand({ run }: { run: ProductionRun }) {
  const t = useT(productionRunsMessages);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`production-run-demand-${run.id}`}>
      <Typography.Text strong>{t('demandTitle')}</Typography.Text>
      <Table<Demand>
        rowKey="customizationKey"
        size="small"
        pagination={false}
        dataSource={run.demand}
        locale={{ emptyText: t('demandEmpty') }}
        columns={[
          { title: t('customization'), key: 'label', render: (_, row) => row.customizationLabel || <Typography.Text type="secondary">{t('noCustomization')}</Typography.Text> },
          { title: t('demandUnits'), dataIndex: 'units', align: 'right' },
          { title: t('demandOrders'), dataIndex: 'orders', align: 'right' },
        ]}
      />
      {run.cancelReason && (
        <Typography.Text type="secondary">
          {t('cancelReason')}: {run.cancelReason}
        </Typography.Text>
      )}
    </Space>
  );
}

function UnitsCell({ run }: { run: ProductionRun }) {
  const t = useT(productionRunsMessages);
  return (
    <Space orientation="vertical" size={0}>
      <span data-testid={`production-run-units-${run.id}`}>{t('unitsText', { n: run.units })}</span>
      <Typography.Text type="secondary">{t('batchRange', { min: run.minBatchUnits, max: run.maxBatchUnits ?? t('noLimit') })}</Typography.Text>
      {run.belowMinimum && run.status !== 'confirmed' && <Tag color="orange">{t('belowMinimum')}</Tag>}
      {run.producedBelowMinimum && <Tag color="orange">{t('producedBelowMinimum')}</Tag>}
    </Space>
  );
}

function useColumns(): ColumnsType<ProductionRun> {
  const t = useT(productionRunsMessages);
  const session = useSession();
  return [
    {
      title: t('sku'),
      key: 'sku',
      render: (_, run) => (
        <>
          <Typography.Text strong>{run.skuCode}</Typography.Text> · {run.skuName}
        </>
      ),
    },
    { title: t('status'), key: 'status', render: (_, run) => <ProductionRunStatusTag run={run} /> },
    { title: t('cutoffAt'), key: 'cutoffAt', render: (_, run) => <DateTime at={run.cutoffAt} /> },
    { title: t('units'), key: 'units', render: (_, run) => <UnitsCell run={run} /> },
    { title: t('orders'), dataIndex: 'orderCount', align: 'right' },
    {
      title: t('promisedShipDate'),
      key: 'promised',
      render: (_, run) =>
        run.promisedShipDate ? (
          <span data-testid={`production-run-promised-${run.id}`}>{run.promisedShipDate}</span>
        ) : (
          <Typography.Text type="secondary">{t('leadTime', { n: run.leadTimeDays })}</Typography.Text>
        ),
    },
    { title: t('actions'), key: 'actions', render: (_, run) => (run.status === 'closed' && session.can('fulfillment:write') ? <ProductionRunActions run={run} /> : null) },
  ];
}

/** 生产批次: the supplier's made-to-order runs (newest first), filtered by status (?status=), each expandable to its demand per customization. */
export function ProductionRunsPage() {
  const t = useT(productionRunsMessages);
  const { language } = useLanguage();
  const [params, setParams] = useSearchParams();
  const status = PRODUCTION_RUN_STATUSES.find((item) => item.value === params.get('status'))?.value;
  const columns = useColumns();
  return (
    <Card title={t('title')}>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <Segmented<ProductionRunStatus | 'all'>
        style={{ marginBottom: 16 }}
        value={status ?? 'all'}
        onChange={(value) => setParams(value === 'all' ? {} : { status: value }, { replace: true })}
        options={[{ value: 'all', label: t('all') }, ...PRODUCTION_RUN_STATUSES.map((item) => ({ value: item.value, label: item.label[language] }))]}
        data-testid="production-runs-status"
      />
      <CursorTable<ProductionRun>
        rowKey="id"
        queryKey={['warehouse', 'production-runs', { status }]}
        fetchPage={(cursor) => ok(api.GET('/v1/production-runs', { params: { query: { status, cursor, limit: 20 } } }))}
        refetchInterval={5000}
        columns={columns}
        expandable={{ expandedRowRender: (run) => <RunDemand run={run} /> }}
        onRow={(run) => ({ 'data-testid': `production-run-row-${run.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={status ? t('emptyFiltered') : t('empty')}
      />
    </Card>
  );
}
