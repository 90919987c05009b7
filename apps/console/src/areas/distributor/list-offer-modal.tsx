import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, message, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { parseMoney } from '../../format';
import { useDistributorT, useShops } from './hooks';

export type AvailableOffer = Schemas['AvailableOfferResponseDto'];

interface ListingForm {
  shopId: string;
  retailPrice: string;
  shopSkuCode: string;
}

/** "上架到店铺": one offer into one of the distributor's shops, at a retail price typed in yuan (sent in fen), under the shop's SKU code. */
export function ListOfferModal({ offer, onClose }: { offer: AvailableOffer | null; onClose: () => void }) {
  const { t } = useDistributorT();
  const shops = useShops();
  const queries = useQueryClient();
  const [form] = Form.useForm<ListingForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [key, setKey] = useState(idempotencyKey);
  const close = () => {
    form.resetFields();
    setError(null);
    setProblems([]);
    setKey(idempotencyKey());
    onClose();
  };
  const create = useMutation({
    mutationFn: (values: ListingForm) =>
      ok(
        api.POST('/v1/listings', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            shopId: values.shopId,
            offerId: offer!.id,
            shopSkuCode: values.shopSkuCode.trim(),
            retailPrice: { amount: parseMoney(values.retailPrice)!, currency: offer!.price.currency },
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('listed'));
      await queries.invalidateQueries({ queryKey: ['distributor', 'listings'] });
      close();
    },
    onError: (failure) => {
      // The api names retailPrice.amount; the form's field is retailPrice.
      const rest = showFieldErrors(form, failure);
      setProblems(rest);
      setError(failure);
    },
  });
  const shopOptions = (shops.data?.data ?? []).map((shop) => ({ value: shop.id, label: shop.name }));
  return (
    <Modal
      open={offer !== null}
      title={offer ? t('listTitle', { name: offer.sku.name }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('listIntoShop')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'distributor-listing-submit' }}
      destroyOnHidden
    >
      {shops.data && shopOptions.length === 0 && <Alert type="info" showIcon title={t('noShops')} style={{ marginBottom: 16 }} />}
      <ApiErrorAlert error={error} problems={problems} />
      <Form<ListingForm> form={form} layout="vertical" initialValues={{ shopSkuCode: offer?.sku.code }} onFinish={(values) => create.mutate(values)}>
        <Form.Item name="shopId" label={t('listShop')} rules={[{ required: true, message: t('listShopRequired') }]}>
          <Select options={shopOptions} data-testid="distributor-listing-shop" />
        </Form.Item>
        <Form.Item
          name="retailPrice"
          label={t('listRetail')}
          rules={[
            { required: true, validator: async (_, value: string) => (parseMoney(value ?? '') !== null && parseMoney(value)! >= 0 ? undefined : Promise.reject(new Error(t('listRetailInvalid')))) },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" data-testid="distributor-listing-price" />
        </Form.Item>
        <Form.Item name="shopSkuCode" label={t('listSku')} extra={t('listSkuHelp')} rules={[{ required: true, whitespace: true, message: t('listSkuRequired') }]}>
          <Input maxLength={100} data-testid="distributor-listing-sku" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
