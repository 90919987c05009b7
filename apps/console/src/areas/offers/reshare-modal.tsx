import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { formatMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { AvailableOffer, currencySymbol, moneyFromYuan, moneyRule, OwnOffer, useDownstreamPartners } from './shared';

interface ReshareForm {
  buyerMerchantId: string;
  price: string;
  shippingFee?: string;
  returnWindowDays?: number;
}
const ALL = '__all__';

/** A broker re-shares an offer it receives to its own downstream partner, at its own price (POST /v1/offers with upstreamOfferId). */
export function ReshareModal({ offer, onClose, onDone }: { offer: AvailableOffer | null; onClose: () => void; onDone: (created: OwnOffer) => void }) {
  const t = useT(offersMessages);
  const [form] = Form.useForm<ReshareForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const partners = useDownstreamPartners();
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const reshare = useMutation({
    mutationFn: (values: ReshareForm) =>
      ok(
        api.POST('/v1/offers', {
          params: { header: { 'Idempotency-Key': key.current() } },
          body: {
            upstreamOfferId: offer!.id,
            ...(values.buyerMerchantId !== ALL ? { buyerMerchantId: values.buyerMerchantId } : {}),
            // A re-share is priced in the upstream offer's currency (the api refuses any other).
            price: moneyFromYuan(values.price, offer!.price.currency),
            shippingFee: moneyFromYuan(values.shippingFee, offer!.price.currency),
            ...(values.returnWindowDays !== undefined && values.returnWindowDays !== null ? { returnWindowDays: values.returnWindowDays } : {}),
          },
        }),
      ),
    onSuccess: (created) => {
      key.settle();
      setError(null);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ['offers'] });
      onDone(created);
    },
    onError: (failure) => {
      key.settle(failure);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal
      open={offer !== null}
      title={`${t('reshareTitle')} · ${offer?.sku.code ?? ''}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={reshare.isPending}
      okButtonProps={{ 'data-testid': 'reshare-submit' }}
      forceRender
    >
      {offer && (
        <Typography.Paragraph type="secondary">
          {t('reshareHint', { price: formatMoney(offer.price.amount, offer.price.currency), fee: formatMoney(offer.shippingFee.amount, offer.shippingFee.currency) })}
        </Typography.Paragraph>
      )}
      <ApiErrorAlert error={error ?? partners.error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ shippingFee: '0' }} onFinish={(values) => reshare.mutate(values)}>
        <Form.Item name="buyerMerchantId" label={t('buyer')} rules={[{ required: true, message: t('required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('buyerPlaceholder')}
            options={[{ value: ALL, label: t('allPartners') }, ...(partners.data ?? []).map((p) => ({ value: p.merchantId, label: p.name }))]}
            data-testid="reshare-buyer"
          />
        </Form.Item>
        <Form.Item name="price" label={t('resharePrice')} rules={[{ required: true, message: t('required') }, moneyRule(t('moneyInvalid'))]}>
          <Input prefix={currencySymbol(offer?.price.currency)} data-testid="reshare-price" />
        </Form.Item>
        <Form.Item name="shippingFee" label={t('shippingYuan')} rules={[moneyRule(t('moneyInvalid'))]}>
          <Input prefix={currencySymbol(offer?.price.currency)} data-testid="reshare-shipping" />
        </Form.Item>
        <Form.Item name="returnWindowDays" label={t('returnWindow')}>
          <InputNumber min={0} max={offer?.returnWindowDays} precision={0} placeholder={String(offer?.returnWindowDays ?? '')} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
