import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton, DateTime, Money } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { currencySymbol, moneyFromYuan, moneyRule, OwnOffer, yuanText } from './shared';
import { trialMessages } from './trial-messages';

interface TrialForm {
  price: string;
  unitsPerBuyer: number;
  startsAt: string;
  endsAt: string;
}

/** A date input's value for an ISO instant, in China's time (the api reads a date alone as midnight there). */
function dateText(iso: string | undefined): string | undefined {
  return iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : undefined;
}

/** The seller's trial on one of its offers (origin or re-share): its terms, setting or ending it. */
export function TrialCard({ offer, editable }: { offer: OwnOffer; editable: boolean }) {
  const t = useT(trialMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<TrialForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const trial = offer.trial;
  const save = useMutation({
    mutationFn: (values: TrialForm | null) =>
      ok(
        api.PATCH('/v1/offers/{offerId}', {
          params: { path: { offerId: offer.id } },
          body: {
            trial: values && { price: moneyFromYuan(values.price, offer.price.currency), unitsPerBuyer: values.unitsPerBuyer, startsAt: values.startsAt, endsAt: values.endsAt },
          },
        }),
      ),
    onSuccess: () => {
      setError(null);
      void message.success(t('trialSaved'));
      void queries.invalidateQueries({ queryKey: ['offers'] });
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Card title={t('trialTitle')} style={{ marginTop: 16 }} data-testid="offer-trial-card">
      <Typography.Paragraph type="secondary">{t('trialHint')}</Typography.Paragraph>
      <ApiErrorAlert error={error} problems={problems} />
      {trial ? (
        <Space style={{ marginBottom: 12 }} data-testid="offer-trial-current">
          <Tag color={trial.active ? 'orange' : 'default'}>{trial.active ? t('trialRunning') : t('trialNotRunning')}</Tag>
          <Money amount={trial.price.amount} currency={trial.price.currency} />
          <span>× {trial.unitsPerBuyer}</span>
          <DateTime at={trial.startsAt} dateOnly /> – <DateTime at={trial.endsAt} dateOnly />
          {editable && (
            <ConfirmButton title={t('trialEndConfirm')} onConfirm={() => save.mutate(null)} loading={save.isPending} testId="offer-trial-end">
              {t('trialEnd')}
            </ConfirmButton>
          )}
        </Space>
      ) : (
        <Typography.Paragraph>{t('trialNone')}</Typography.Paragraph>
      )}
      {editable && (
        <Form
          form={form}
          layout="inline"
          style={{ rowGap: 8 }}
          initialValues={{ price: trial ? yuanText(trial.price.amount) : undefined, unitsPerBuyer: trial?.unitsPerBuyer, startsAt: dateText(trial?.startsAt), endsAt: dateText(trial?.endsAt) }}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item name="price" label={t('trialPrice')} rules={[{ required: true, message: t('required') }, moneyRule(t('moneyInvalid'))]}>
            <Input prefix={currencySymbol(offer.price.currency)} style={{ width: 130 }} data-testid="offer-trial-price" />
          </Form.Item>
          <Form.Item name="unitsPerBuyer" label={t('trialUnits')} rules={[{ required: true, message: t('required') }]}>
            <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 100 }} data-testid="offer-trial-units" />
          </Form.Item>
          <Form.Item name="startsAt" label={t('trialStarts')} rules={[{ required: true, message: t('required') }]}>
            <Input type="date" data-testid="offer-trial-starts" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('trialEnds')} rules={[{ required: true, message: t('required') }]}>
            <Input type="date" data-testid="offer-trial-ends" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="offer-trial-save">
            {t('trialSave')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
