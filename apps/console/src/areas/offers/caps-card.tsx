import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, InputNumber, Radio, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton, DateTime, EmptyState } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { useDownstreamPartners } from './shared';

type Cap = Schemas['AllocationCapResponseDto'];
interface CapForm {
  buyerMerchantId: string;
  scope: 'sku' | 'all';
  kind: 'fixed' | 'percent';
  value: number;
}

function useCaps() {
  return useQuery({ queryKey: ['allocation-caps'], queryFn: () => ok(api.GET('/v1/allocation-caps', { params: { query: { limit: 100 } } })) });
}

function CapForm({ skuId }: { skuId: string }) {
  const t = useT(offersMessages);
  const [form] = Form.useForm<CapForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const partners = useDownstreamPartners();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (values: CapForm) =>
      ok(
        api.PUT('/v1/allocation-caps', {
          body: { buyerMerchantId: values.buyerMerchantId, ...(values.scope === 'sku' ? { skuId } : {}), ...(values.kind === 'fixed' ? { fixed: values.value } : { percent: values.value }) },
        }),
      ),
    onSuccess: () => {
      setError(null);
      void queries.invalidateQueries({ queryKey: ['allocation-caps'] });
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="inline" initialValues={{ scope: 'sku', kind: 'fixed' }} onFinish={(values) => save.mutate(values)} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item name="buyerMerchantId" rules={[{ required: true, message: t('required') }]}>
          <Select style={{ width: 200 }} placeholder={t('capPartner')} options={(partners.data ?? []).map((p) => ({ value: p.merchantId, label: p.name }))} data-testid="cap-partner" />
        </Form.Item>
        <Form.Item name="scope">
          <Radio.Group
            options={[
              { value: 'sku', label: t('capThisSku') },
              { value: 'all', label: t('capAllSkus') },
            ]}
          />
        </Form.Item>
        <Form.Item name="kind">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'fixed', label: t('capFixed') },
              { value: 'percent', label: t('capPercent') },
            ]}
          />
        </Form.Item>
        <Form.Item name="value" rules={[{ required: true, message: t('required') }]}>
          <InputNumber min={0} precision={0} placeholder={t('capValue')} style={{ width: 120 }} data-testid="cap-value" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="cap-save">
          {t('capSave')}
        </Button>
      </Form>
    </>
  );
}

/** Allocation caps that bear on this offer's SKU: per downstream partner, fixed units or a percentage; set, change, remove. */
export function CapsCard({ skuId, editable }: { skuId: string; editable: boolean }) {
  const t = useT(offersMessages);
  const caps = useCaps();
  const partners = useDownstreamPartners();
  const names = new Map((partners.data ?? []).map((p) => [p.merchantId, p.name]));
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: (capId: string) => ok(api.DELETE('/v1/allocation-caps/{capId}', { params: { path: { capId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['allocation-caps'] }),
  });
  const rows = (caps.data?.data ?? []).filter((cap) => !cap.skuId || String(cap.skuId) === skuId);
  return (
    <Card title={t('capsTitle')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('capsHint')}</Typography.Paragraph>
      {editable && <CapForm skuId={skuId} />}
      <ApiErrorAlert error={caps.error ?? remove.error} />
      <Table<Cap>
        size="middle"
        rowKey="id"
        pagination={false}
        loading={caps.isLoading}
        dataSource={rows}
        onRow={(row) => ({ 'data-testid': `cap-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <EmptyState description={t('emptyCaps')} /> }}
        columns={[
          { title: t('capPartner'), key: 'partner', render: (_, row) => names.get(row.buyerMerchantId) ?? row.buyerMerchantId },
          { title: t('capScope'), key: 'scope', render: (_, row) => (row.skuId ? t('capThisSku') : t('capAllSkus')) },
          { title: t('capValue'), key: 'value', render: (_, row) => (row.kind === 'fixed' ? t('capUnits', { n: row.value }) : t('capPct', { n: row.value })) },
          { title: t('capUpdated'), key: 'updated', render: (_, row) => <DateTime at={row.updatedAt} /> },
          {
            title: '',
            key: 'actions',
            render: (_, row) =>
              editable && (
                <ConfirmButton danger title={t('capRemoveConfirm')} onConfirm={() => remove.mutate(row.id)} testId={`cap-remove-${row.id}`}>
                  {t('capRemove')}
                </ConfirmButton>
              ),
          },
        ]}
      />
    </Card>
  );
}
