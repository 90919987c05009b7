import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal } from 'antd';
import { useRef, useState } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { Sku } from './data';
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

/** The most characters a 规格 may have, counted as the api and its column count them (code points). */
export const SKU_SPEC_MAX_CHARACTERS = 200;
const characters = (text: string) => [...text].length;

/**
 * Changes an existing SKU's name and 规格 (the order sheet's 规格 column). An empty 规格 clears it, and the
 * sheets then show the SKU's specifications joined. Mounted per SKU, so its fields start from what is stored.
 */
export function SkuEditModal({ sku, onClose }: { sku: Sku; onClose: () => void }) {
  const t = useT(warehouseMessages);
  const { form, problems, mutation } = useModalForm<{ name: string; spec?: string }>(
    (values) => ok(api.PATCH('/v1/skus/{skuId}', { params: { path: { skuId: sku.id } }, body: { name: values.name.trim(), spec: values.spec ?? '' } })),
    onClose,
  );
  return (
    <Modal open title={`${t('editSku')} ${sku.code}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending} okButtonProps={{ 'data-testid': 'catalog-sku-edit-save' }}>
      <ApiErrorAlert error={mutation.error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ name: sku.name, spec: sku.spec ?? '' }} onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="name" label={t('skuName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input data-testid="catalog-sku-edit-name" />
        </Form.Item>
        <Form.Item
          name="spec"
          label={t('skuSpec')}
          extra={t('skuSpecHelp')}
          rules={[
            {
              validator: async (_, value: unknown) => {
                if (typeof value === 'string' && characters(value) > SKU_SPEC_MAX_CHARACTERS) throw new Error(t('skuSpecTooLong', { max: SKU_SPEC_MAX_CHARACTERS }));
              },
            },
          ]}
        >
          <Input placeholder="红色 / M" allowClear count={{ show: true, max: SKU_SPEC_MAX_CHARACTERS, strategy: characters }} data-testid="catalog-sku-edit-spec" />
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
