import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, InputNumber, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { useSession } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { useSkus, useWarehouses } from './data';
import { warehouseMessages } from './messages';
import { BulkStockUpdate } from './stock-bulk';

type StockLevel = Schemas['StockLevelResponseDto'];

function SetStockModal({ level, onClose }: { level: StockLevel | null; onClose: () => void }) {
  const t = useT(warehouseMessages);
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ onHand: number; safetyStock: number }>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const mutation = useMutation({
    mutationFn: (values: { onHand: number; safetyStock: number }) => ok(api.PUT('/v1/stock-levels', { body: { warehouseId: level!.warehouseId, skuId: level!.skuId, ...values } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['warehouse', 'stock'] });
      onClose();
    },
    onError: (error) => setProblems(showFieldErrors(form, error)),
  });
  return (
    <Modal
      open={level !== null}
      title={t('setStockTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'stock-set-save' }}
    >
      <ApiErrorAlert error={mutation.error} problems={problems} />
      {level && (
        <Form form={form} layout="vertical" initialValues={{ onHand: level.onHand, safetyStock: level.safetyStock }} onFinish={(values) => mutation.mutate(values)}>
          <Form.Item name="onHand" label={t('onHand')} extra={t('onHandHelp', { reserved: level.reserved })} rules={[{ required: true }]}>
            <InputNumber min={0} precision={0} style={{ width: 200 }} data-testid="stock-set-onhand" />
          </Form.Item>
          <Form.Item name="safetyStock" label={t('safetyStock')}>
            <InputNumber min={0} precision={0} style={{ width: 200 }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** Stock by warehouse and SKU: set a level, or paste many at once. */
export function StockPage() {
  const t = useT(warehouseMessages);
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const warehouseId = params.get('warehouseId') ?? undefined;
  const { warehouses, byId: warehouseById } = useWarehouses();
  const { byId: skuById } = useSkus();
  const [editing, setEditing] = useState<StockLevel | null>(null);
  const canWrite = session.can('stock:write');
  const setWarehouse = (value?: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('warehouseId', value);
    else next.delete('warehouseId');
    setParams(next, { replace: true });
  };
  return (
    <>
      <Card title={t('stockTitle')}>
        <Space style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('filterWarehouse')}
            style={{ width: 200 }}
            value={warehouseId}
            onChange={setWarehouse}
            options={warehouses.map((warehouse) => ({ value: warehouse.id, label: `${warehouse.name}（${warehouse.code}）` }))}
            data-testid="stock-filter-warehouse"
          />
        </Space>
        <CursorTable<StockLevel>
          rowKey={(level) => `${level.warehouseId}-${level.skuId}`}
          queryKey={['warehouse', 'stock', { warehouseId }]}
          fetchPage={(cursor) => ok(api.GET('/v1/stock-levels', { params: { query: { warehouseId, cursor, limit: 100 } } }))}
          onRow={(level) =>
            ({ 'data-testid': `stock-row-${warehouseById.get(level.warehouseId)?.code ?? level.warehouseId}-${skuById.get(level.skuId)?.code ?? level.skuId}` }) as React.HTMLAttributes<HTMLElement>
          }
          empty={t('stockEmpty')}
          columns={[
            { title: t('warehouse'), key: 'warehouse', render: (_, level) => warehouseById.get(level.warehouseId)?.name ?? level.warehouseId },
            { title: t('skuCode'), key: 'sku', render: (_, level) => skuById.get(level.skuId)?.code ?? level.skuId },
            { title: t('skuName'), key: 'skuName', render: (_, level) => skuById.get(level.skuId)?.name ?? '' },
            { title: t('onHand'), key: 'onHand', render: (_, level) => <span data-testid="stock-onhand">{level.onHand}</span> },
            { title: t('reserved'), dataIndex: 'reserved' },
            { title: t('safetyStock'), dataIndex: 'safetyStock' },
            { title: t('available'), dataIndex: 'available' },
            { title: t('updatedAt'), key: 'updatedAt', render: (_, level) => <DateTime at={level.updatedAt} /> },
            {
              title: t('actions'),
              key: 'actions',
              render: (_, level) =>
                canWrite ? (
                  <Button size="small" onClick={() => setEditing(level)}>
                    {t('setStock')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {canWrite && <BulkStockUpdate />}
      <SetStockModal level={editing} onClose={() => setEditing(null)} />
    </>
  );
}
