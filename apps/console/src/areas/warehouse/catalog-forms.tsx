import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal } from 'antd';
import { useRef, useState } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { warehouseMessages } from './messages';

/** A modal form posting to the api with an idempotency key; api problems beside their fields. */
function useModalForm<Values extends object>(send: (values: Values, key: string) => Promise<unknown>, onDone: () => void) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const key = useRef(idempotencyKey());
  const mutation = useMutation({
    mutationFn: (values: Values) => send(values, key.current),
    onSuccess: async () => {
      key.current = idempotencyKey();
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['warehouse'] });
      onDone();
    },
    onError: (error) => {
      key.current = idempotencyKey();
      setProblems(showFieldErrors(form, error));
    },
  });
  return { form, problems, mutation };
}

export function ProductModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(warehouseMessages);
  const { form, problems, mutation } = useModalForm<{ name: string; skus: { code: string; name: string; spec?: string }[] }>(
    (values, key) => ok(api.POST('/v1/products', { params: { header: { 'Idempotency-Key': key } }, body: values })),
    onClose,
  );
  return (
    <Modal open={open} title={t('newProduct')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending} okButtonProps={{ 'data-testid': 'catalog-product-save' }}>
      <ApiErrorAlert error={mutation.error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ skus: [{ code: '', name: '' }] }} onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="name" label={t('productName')} rules={[{ required: true, message: t('required') }]}>
          <Input data-testid="catalog-product-name" />
        </Form.Item>
        <Form.Item name={['skus', 0, 'code']} label={t('firstSkuCode')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder="TSHIRT-RED-M" data-testid="catalog-product-sku-code" />
        </Form.Item>
        <Form.Item name={['skus', 0, 'name']} label={t('firstSkuName')} rules={[{ required: true, message: t('required') }]}>
          <Input data-testid="catalog-product-sku-name" />
        </Form.Item>
        <Form.Item name={['skus', 0, 'spec']} label={t('skuSpec')}>
          <Input placeholder="红色 / M" maxLength={200} data-testid="catalog-product-sku-spec" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function SkuModal({ productId, onClose }: { productId: string | null; onClose: () => void }) {
  const t = useT(warehouseMessages);
  const { form, problems, mutation } = useModalForm<{ code: string; name: string; spec?: string; barcode?: string }>(
    (values, key) => ok(api.POST('/v1/products/{productId}/skus', { params: { path: { productId: productId ?? '' }, header: { 'Idempotency-Key': key } }, body: values })),
    onClose,
  );
  return (
    <Modal open={productId !== null} title={t('addSku')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending} okButtonProps={{ 'data-testid': 'catalog-sku-save' }}>
      <ApiErrorAlert error={mutation.error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="code" label={t('skuCode')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder="TSHIRT-RED-L" data-testid="catalog-sku-code" />
        </Form.Item>
        <Form.Item name="name" label={t('skuName')} rules={[{ required: true, message: t('required') }]}>
          <Input data-testid="catalog-sku-name" />
        </Form.Item>
        <Form.Item name="spec" label={t('skuSpec')}>
          <Input placeholder="红色 / L" maxLength={200} data-testid="catalog-sku-spec" />
        </Form.Item>
        <Form.Item name="barcode" label={t('barcode')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface WarehouseValues {
  name: string;
  code: string;
  province: string;
  city?: string;
  priority: number;
}

export function WarehouseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(warehouseMessages);
  const { form, problems, mutation } = useModalForm<WarehouseValues>(
    (values, key) => ok(api.POST('/v1/warehouses', { params: { header: { 'Idempotency-Key': key } }, body: { ...values, receiveMode: 'inbox', mergeWindowMinutes: 0 } })),
    onClose,
  );
  return (
    <Modal open={open} title={t('newWarehouse')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending}>
      <ApiErrorAlert error={mutation.error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ priority: 100 }} onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="name" label={t('warehouseName')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder="义乌一号仓" />
        </Form.Item>
        <Form.Item name="code" label={t('warehouseCode')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder="ZJ-YIWU" />
        </Form.Item>
        <Form.Item name="province" label={t('province')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder="浙江省" />
        </Form.Item>
        <Form.Item name="city" label={t('city')}>
          <Input placeholder="金华市" />
        </Form.Item>
        <Form.Item name="priority" label={t('priority')} extra={t('priorityHelp')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
