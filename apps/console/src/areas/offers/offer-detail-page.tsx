import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { useSession } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton, DateTime, Money } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { CapsCard } from './caps-card';
import { offersMessages } from './messages';
import { currencySymbol, moneyFromYuan, moneyRule, OwnOffer, useDownstreamPartners, yuanText } from './shared';
import { TrialCard } from './trial-card';
import { CustomizationCard } from './customization-card';
import { MadeToOrderCard } from './made-to-order-card';

interface PriceForm {
  price: string;
  shippingFee: string;
  returnWindowDays: number;
}

function PriceCard({ offer }: { offer: OwnOffer }) {
  const t = useT(offersMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<PriceForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (values: PriceForm) =>
      ok(
        api.PATCH('/v1/offers/{offerId}', {
          params: { path: { offerId: offer.id } },
          // The api keeps an offer's currency: the new price is in the offer's own.
          body: { price: moneyFromYuan(values.price, offer.price.currency), shippingFee: moneyFromYuan(values.shippingFee, offer.price.currency), returnWindowDays: values.returnWindowDays },
        }),
      ),
    onSuccess: () => {
      setError(null);
      void message.success(t('priceChanged'));
      void queries.invalidateQueries({ queryKey: ['offers'] });
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Card title={t('changePrice')} style={{ marginTop: 16 }}>
      <ApiErrorAlert error={error} problems={problems} />
      <Form
        form={form}
        layout="inline"
        initialValues={{ price: yuanText(offer.price.amount), shippingFee: yuanText(offer.shippingFee.amount), returnWindowDays: offer.returnWindowDays }}
        onFinish={(values) => save.mutate(values)}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="price" label={t('priceYuan')} rules={[{ required: true, message: t('required') }, moneyRule(t('moneyInvalid'))]}>
          <Input prefix={currencySymbol(offer.price.currency)} style={{ width: 140 }} data-testid="offer-edit-price" />
        </Form.Item>
        <Form.Item name="shippingFee" label={t('shippingYuan')} rules={[moneyRule(t('moneyInvalid'))]}>
          <Input prefix={currencySymbol(offer.price.currency)} style={{ width: 120 }} data-testid="offer-edit-shipping" />
        </Form.Item>
        <Form.Item name="returnWindowDays" label={t('returnWindow')}>
          <InputNumber min={0} max={365} precision={0} style={{ width: 90 }} data-testid="offer-edit-return-window" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="offer-edit-save">
          {t('saveChanges')}
        </Button>
      </Form>
    </Card>
  );
}

/** One of my offers: its terms, changing its price, withdrawing it, and the allocation caps on its SKU. */
export function OfferDetailPage() {
  const t = useT(offersMessages);
  const { can } = useSession();
  const { offerId = '' } = useParams();
  const queries = useQueryClient();
  const offer = useQuery({ queryKey: ['offers', 'own', 'one', offerId], queryFn: () => ok(api.GET('/v1/offers/{offerId}', { params: { path: { offerId } } })) });
  const partners = useDownstreamPartners();
  const withdraw = useMutation({
    mutationFn: () => ok(api.POST('/v1/offers/{offerId}/withdraw', { params: { path: { offerId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['offers'] }),
  });
  const editable = can('offers:write');
  const data = offer.data;
  const buyer = data?.buyerMerchantId ? (partners.data?.find((p) => p.merchantId === String(data.buyerMerchantId))?.name ?? String(data.buyerMerchantId)) : t('allPartners');
  return (
    <>
      <Link to="/offers/published">← {t('backToList')}</Link>
      <ApiErrorAlert error={offer.error ?? withdraw.error} />
      {offer.isLoading && <Spin />}
      {data && (
        <>
          <Space style={{ width: '100%', justifyContent: 'space-between', margin: '12px 0' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('offerTitle')} · {data.sku.code} {data.sku.name}
            </Typography.Title>
            {editable && data.status === 'active' && (
              <ConfirmButton danger title={t('withdrawConfirm')} onConfirm={() => withdraw.mutate()} loading={withdraw.isPending} testId="offer-withdraw">
                {t('withdraw')}
              </ConfirmButton>
            )}
          </Space>
          {data.status === 'withdrawn' && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('withdrawnNote')} data-testid="offer-withdrawn" />}
          <Card>
            <Descriptions column={3}>
              <Descriptions.Item label={t('buyer')}>{buyer}</Descriptions.Item>
              <Descriptions.Item label={t('kind')}>{t(data.kind)}</Descriptions.Item>
              <Descriptions.Item label={t('status')}>
                <Tag color={data.status === 'active' ? 'success' : 'default'} data-testid="offer-status">
                  {t(data.status)}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('price')}>
                <span data-testid="offer-price">
                  <Money amount={data.price.amount} currency={data.price.currency} />
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('shippingFee')}>
                <Money amount={data.shippingFee.amount} currency={data.shippingFee.currency} />
              </Descriptions.Item>
              {data.cost && (
                <Descriptions.Item label={t('cost')}>
                  <Money amount={data.cost.amount} currency={data.cost.currency} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('returnWindow')}>{t('days', { n: data.returnWindowDays })}</Descriptions.Item>
              <Descriptions.Item label={t('createdAt')}>
                <DateTime at={data.createdAt} />
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {editable && data.status === 'active' && <PriceCard key={`${data.price.amount}-${data.shippingFee.amount}`} offer={data} />}
          {data.status === 'active' && <TrialCard key={JSON.stringify(data.trial)} offer={data} editable={editable} />}
          {data.status === 'active' && <CustomizationCard key={JSON.stringify(data.customization)} offer={data} editable={editable} />}
          {data.status === 'active' && <MadeToOrderCard key={JSON.stringify(data.madeToOrder)} offer={data} editable={editable} />}
          <CapsCard skuId={data.sku.id} editable={editable} />
        </>
      )}
    </>
  );
}
