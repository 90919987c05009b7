import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { formatMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { moneyFromYuan, moneyRule, OwnOffer, useDownstreamPartners, useOwnSkus } from './shared';

interface PublishForm {
  skuId: string;
  buyerMerchantId: string;
  price: string;
  shippingFee?: string;
  returnWindowDays?: number;
}
const ALL = '__all__';

/** A supplier offers one of its SKUs to a downstream partner (or all of them) at a supply price and a shipping fee. */
export function PublishModal({ open, onClose, onPublished }: { open: boolean; onClose: () => void; onPublished: (offer: OwnOffer, text: string) => void }) {
  const t = useT(offersMessages);
  const [form] = Form.useForm<PublishForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const skus = useOwnSkus(open);
  const partners = useDownstreamPartners();
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const publish = useMutation({
    mutationFn: (values: PublishForm) => {
      // A new offer to one partner is priced in that partnership's currency; to all partners in CNY.
      const currency = partners.data?.find((p) => p.merchantId === values.buyerMerchantId)?.currency ?? 'CNY';
      return ok(
        api.POST('/v1/offers', {
          params: { header: { 'Idempotency-Key': key.current() } },
          body: {
            skuId: values.skuId,
            ...(values.buyerMerchantId && values.buyerMerchantId !== ALL ? { buyerMerchantId: values.buyerMerchantId } : {}),
            price: moneyFromYuan(values.price, currency),
            shippingFee: moneyFromYuan(values.shippingFee, currency),
            ...(values.returnWindowDays !== undefined && values.returnWindowDays !== null ? { returnWindowDays: values.returnWindowDays } : {}),
          },
        }),
      );
    },
    onSuccess: (offer, values) => {
      key.settle();
      void queries.invalidateQueries({ queryKey: ['offers'] });
      const buyer = values.buyerMerchantId === ALL ? t('allPartners') : (partners.data?.find((p) => p.merchantId === values.buyerMerchantId)?.name ?? '');
      onPublished(offer, t('published', { sku: offer.sku.code, buyer, price: formatMoney(offer.price.amount, offer.price.currency) }));
      form.resetFields();
      setError(null);
    },
    onError: (failure) => {
      key.settle(failure);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal open={open} title={t('publish')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={publish.isPending} okButtonProps={{ 'data-testid': 'offer-publish-submit' }} forceRender>
      <ApiErrorAlert error={error ?? skus.error ?? partners.error} problems={problems} />
      {partners.data?.length === 0 && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('noPartners')} />}
      <Form form={form} layout="vertical" initialValues={{ shippingFee: '0', buyerMerchantId: undefined }} onFinish={(values) => publish.mutate(values)}>
        <Form.Item name="skuId" label={t('sku')} rules={[{ required: true, message: t('required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('skuPlaceholder')}
            loading={skus.isLoading}
            options={(skus.data ?? []).map((sku) => ({ value: sku.id, label: `${sku.code} · ${sku.name}` }))}
            data-testid="offer-publish-sku"
          />
        </Form.Item>
        <Form.Item name="buyerMerchantId" label={t('buyer')} rules={[{ required: true, message: t('required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('buyerPlaceholder')}
            loading={partners.isLoading}
            options={[{ value: ALL, label: t('allPartners') }, ...(partners.data ?? []).map((partner) => ({ value: partner.merchantId, label: partner.name }))]}
            data-testid="offer-publish-buyer"
          />
        </Form.Item>
        <Form.Item name="price" label={t('priceYuan')} rules={[{ required: true, message: t('required') }, moneyRule(t('moneyInvalid'))]}>
          <Input prefix="¥" inputMode="decimal" data-testid="offer-publish-price" />
        </Form.Item>
        <Form.Item name="shippingFee" label={t('shippingYuan')} rules={[moneyRule(t('moneyInvalid'))]}>
          <Input prefix="¥" inputMode="decimal" data-testid="offer-publish-shipping" />
        </Form.Item>
        <Form.Item name="returnWindowDays" label={t('returnWindow')}>
          <InputNumber min={0} max={365} precision={0} placeholder="7" style={{ width: '100%' }} data-testid="offer-publish-return-window" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
