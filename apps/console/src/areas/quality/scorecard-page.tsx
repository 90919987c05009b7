import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, InputNumber, message, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { qualityMessages } from './messages';

type Row = Schemas['ScorecardRowDto'];
type Scope = 'supplier' | 'warehouse' | 'sku';
type Days = '7' | '30' | '90';

const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
const hours = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(1));

/** The supplier's say on what a bad review of its goods is (rating ≤ 2 by default). */
function ReviewSettings() {
  const t = useT(qualityMessages);
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['quality', 'settings'], queryFn: () => ok(api.GET('/v1/quality/settings')) });
  const [value, setValue] = useState<number | null>(null);
  useEffect(() => setValue(settings.data?.badReviewMaxRating ?? null), [settings.data]);
  const save = useMutation({
    mutationFn: (badReviewMaxRating: number) => ok(api.PUT('/v1/quality/settings', { body: { badReviewMaxRating } })),
    onSuccess: async () => {
      void message.success(t('saved'));
      await client.invalidateQueries({ queryKey: ['quality'] });
    },
  });
  return (
    <Card type="inner" title={t('settingsTitle')} style={{ marginTop: 16 }}>
      <ApiErrorAlert error={settings.error ?? save.error} />
      <Space>
        {t('badReviewMaxRating')}
        <InputNumber min={1} max={4} precision={0} value={value} onChange={(next) => setValue(next)} data-testid="quality-bad-review-max" />
        <Button type="primary" loading={save.isPending} disabled={value === null} onClick={() => value !== null && save.mutate(value)} data-testid="quality-settings-save">
          {t('save')}
        </Button>
      </Space>
    </Card>
  );
}

/** 服务指标: the service-standard figures of the goods the member's merchant supplies or sells, over its own orders. */
export function ScorecardPage() {
  const t = useT(qualityMessages);
  const [params, setParams] = useSearchParams();
  const scope: Scope = (['supplier', 'warehouse', 'sku'] as const).find((item) => item === params.get('scope')) ?? 'supplier';
  const days: Days = (['7', '30', '90'] as const).find((item) => item === params.get('days')) ?? '30';
  const scorecard = useQuery({ queryKey: ['quality', 'scorecard', scope, days], queryFn: () => ok(api.GET('/v1/quality/scorecards', { params: { query: { scope, days } } })) });
  const set = (changes: { scope?: Scope; days?: Days }) => setParams({ scope, days, ...changes }, { replace: true });
  return (
    <Card
      title={t('scorecardTitle')}
      extra={
        <Space wrap>
          <Segmented<Scope>
            value={scope}
            onChange={(value) => set({ scope: value })}
            options={[
              { value: 'supplier', label: t('scopeSupplier') },
              { value: 'warehouse', label: t('scopeWarehouse') },
              { value: 'sku', label: t('scopeSku') },
            ]}
            data-testid="quality-scope"
          />
          <Segmented<Days>
            value={days}
            onChange={(value) => set({ days: value })}
            options={(['7', '30', '90'] as const).map((value) => ({ value, label: t('days', { days: value }) }))}
            data-testid="quality-days"
          />
        </Space>
      }
    >
      <ApiErrorAlert error={scorecard.error} />
      <Table<Row>
        rowKey="id"
        size="middle"
        pagination={false}
        scroll={{ x: true }}
        loading={scorecard.isLoading}
        dataSource={scorecard.data?.data ?? []}
        locale={{ emptyText: <EmptyState description={t('emptyScorecard')} /> }}
        onRow={(row) => ({ 'data-testid': `quality-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('row'), key: 'row', render: (_, row) => row.label ?? row.id },
          { title: t('ordersRouted'), dataIndex: 'ordersRouted', align: 'right' },
          { title: t('onTimeShare'), key: 'onTime', align: 'right', render: (_, row) => percent(row.onTimeShare) },
          { title: t('hoursToShip'), key: 'hours', align: 'right', render: (_, row) => `${hours(row.avgHoursToShip)} / ${hours(row.p90HoursToShip)}` },
          { title: t('overdueNow'), key: 'overdue', align: 'right', render: (_, row) => (row.overdueNow > 0 ? <Tag color="volcano">{row.overdueNow}</Tag> : 0) },
          { title: t('validTracking'), key: 'tracking', align: 'right', render: (_, row) => percent(row.validTrackingShare) },
          { title: t('cancellationRate'), key: 'cancelled', align: 'right', render: (_, row) => percent(row.cancellationRate) },
          {
            title: t('returnRate'),
            key: 'returns',
            align: 'right',
            render: (_, row) => (
              <span title={row.returnsByReason.map((item) => `${item.reason}: ${item.units}`).join('\n')} data-testid={`quality-return-rate-${row.id}`}>
                {percent(row.returnRate)}
              </span>
            ),
          },
          { title: t('badReviewRate'), key: 'reviews', align: 'right', render: (_, row) => percent(row.badReviewRate) },
          { title: t('interceptionRate'), key: 'interceptions', align: 'right', render: (_, row) => percent(row.interceptionSuccessRate) },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('footnote')}
      </Typography.Paragraph>
      <ReviewSettings />
    </Card>
  );
}
