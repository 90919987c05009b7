import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton } from '../../components/widgets';
import { Translate, useT } from '../../i18n/i18n';
import { madeToOrderMessages, WEEKDAYS } from './made-to-order-messages';
import { OwnOffer } from './shared';

export type MadeToOrderTerms = Schemas['MadeToOrderResponseDto'];
type Keys = keyof (typeof madeToOrderMessages)['zh-CN'];

interface TermsForm {
  leadTimeDays: number;
  minBatchUnits: number;
  maxBatchUnits?: number | null;
  cutoffWeekdays: number[];
  cutoffTime: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** ISO weekdays (1 Monday … 7 Sunday) as the merchant reads them: 周一、周三、周五. */
export function weekdaysText(weekdays: number[], t: Translate<Keys>): string {
  return [...weekdays]
    .sort((a, b) => a - b)
    .map((day) => t(`weekday${day}` as Keys))
    .join('、');
}

/** The terms as a list (read-only, and above the owner's form). */
function TermsList({ terms }: { terms: MadeToOrderTerms }) {
  const t = useT(madeToOrderMessages);
  return (
    <Descriptions size="small" column={3} style={{ marginBottom: 12 }} data-testid="offer-made-to-order-terms">
      <Descriptions.Item label={t('leadTimeDays')}>{t('days', { n: terms.leadTimeDays ?? '—' })}</Descriptions.Item>
      <Descriptions.Item label={t('minBatchUnits')}>{t('units', { n: terms.minBatchUnits ?? 1 })}</Descriptions.Item>
      <Descriptions.Item label={t('maxBatchUnits')}>{terms.maxBatchUnits ? t('units', { n: terms.maxBatchUnits }) : t('noLimit')}</Descriptions.Item>
      <Descriptions.Item label={t('cutoffWeekdays')}>{weekdaysText(terms.cutoffWeekdays, t)}</Descriptions.Item>
      <Descriptions.Item label={t('cutoffTime')}>{terms.cutoffTime ?? '—'}</Descriptions.Item>
      {terms.statedAvailability !== null && terms.statedAvailability !== undefined && (
        <Descriptions.Item label={t('statedAvailability')}>{t('units', { n: terms.statedAvailability })}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

function initialValues(terms: MadeToOrderTerms | undefined): Partial<TermsForm> {
  if (!terms?.madeToOrder) return { minBatchUnits: 1, cutoffWeekdays: [], cutoffTime: '18:00' };
  return {
    leadTimeDays: terms.leadTimeDays ?? undefined,
    minBatchUnits: terms.minBatchUnits ?? 1,
    maxBatchUnits: terms.maxBatchUnits ?? undefined,
    cutoffWeekdays: terms.cutoffWeekdays,
    cutoffTime: terms.cutoffTime ?? '18:00',
  };
}

/** Saving and turning off the terms, with the api's problems beside the form's fields. */
function useTermsMutations(offerId: string, form: ReturnType<typeof Form.useForm<TermsForm>>[0]) {
  const t = useT(madeToOrderMessages);
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const path = { offerId };
  const onSaved = (text: string) => {
    setError(null);
    void message.success(text);
    void queries.invalidateQueries({ queryKey: ['offers'] });
  };
  const onError = (failure: unknown) => {
    setProblems(showFieldErrors(form, failure));
    setError(failure);
  };
  // The generated schema types cutoffWeekdays as strings and maxBatchUnits as an object: the api takes numbers (and null for no limit).
  const toBody = (values: TermsForm): Schemas['SetMadeToOrderDto'] => ({ ...values, maxBatchUnits: values.maxBatchUnits ?? null });
  const save = useMutation({
    mutationFn: (values: TermsForm) => ok(api.PUT('/v1/offers/{offerId}/made-to-order', { params: { path }, body: toBody(values) })),
    onSuccess: () => onSaved(t('saved')),
    onError,
  });
  const turnOff = useMutation({
    mutationFn: () => ok(api.DELETE('/v1/offers/{offerId}/made-to-order', { params: { path } })),
    onSuccess: () => onSaved(t('turnedOff')),
    onError,
  });
  return { save, turnOff, error, problems };
}

/** 按单生产 on one of my offers: editable on my origin offer, read-only (继承自源头报价) on a re-share. */
export function MadeToOrderCard({ offer, editable }: { offer: OwnOffer; editable: boolean }) {
  const t = useT(madeToOrderMessages);
  const [form] = Form.useForm<TermsForm>();
  const { save, turnOff, error, problems } = useTermsMutations(offer.id, form);
  const terms = offer.madeToOrder;
  const on = terms?.madeToOrder === true;
  const inherited = offer.kind === 'reshare' || terms?.inherited === true;
  const title = (
    <Space>
      {t('title')}
      {on && <Tag color="geekblue">{t('on')}</Tag>}
    </Space>
  );
  if (inherited || !editable) {
    return (
      <Card title={title} style={{ marginTop: 16 }} data-testid="offer-made-to-order-card">
        {inherited && <Typography.Paragraph type="secondary">{t('inheritedHint')}</Typography.Paragraph>}
        {on && terms ? <TermsList terms={terms} /> : <Typography.Paragraph>{t('off')}</Typography.Paragraph>}
      </Card>
    );
  }
  const extra = on && (
    <ConfirmButton danger title={t('turnOffConfirm')} onConfirm={() => turnOff.mutate()} loading={turnOff.isPending} testId="offer-made-to-order-off">
      {t('turnOff')}
    </ConfirmButton>
  );
  return (
    <Card title={title} style={{ marginTop: 16 }} data-testid="offer-made-to-order-card" extra={extra}>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <ApiErrorAlert error={error} problems={problems} />
      {on && terms ? <TermsList terms={terms} /> : <Typography.Paragraph>{t('off')}</Typography.Paragraph>}
      <TermsFields form={form} initial={initialValues(terms)} onFinish={(values) => save.mutate(values)} saving={save.isPending} />
    </Card>
  );
}

/** The owner's form: lead time, batch sizes, cut-off weekdays (周一…周日) and time. */
function TermsFields({
  form,
  initial,
  onFinish,
  saving,
}: {
  form: ReturnType<typeof Form.useForm<TermsForm>>[0];
  initial: Partial<TermsForm>;
  onFinish: (values: TermsForm) => void;
  saving: boolean;
}) {
  const t = useT(madeToOrderMessages);
  const required = { required: true, message: t('required') };
  return (
    <Form form={form} layout="inline" style={{ rowGap: 8 }} initialValues={initial} onFinish={onFinish}>
      <Form.Item name="leadTimeDays" label={t('leadTimeDays')} rules={[required]}>
        <InputNumber min={1} max={90} precision={0} style={{ width: 90 }} data-testid="offer-made-to-order-lead-time" />
      </Form.Item>
      <Form.Item name="minBatchUnits" label={t('minBatchUnits')} rules={[required]}>
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 110 }} data-testid="offer-made-to-order-min" />
      </Form.Item>
      <Form.Item name="maxBatchUnits" label={t('maxBatchUnits')}>
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 110 }} placeholder={t('maxBatchPlaceholder')} data-testid="offer-made-to-order-max" />
      </Form.Item>
      <Form.Item name="cutoffWeekdays" label={t('cutoffWeekdays')} rules={[{ ...required, type: 'array', min: 1 }]}>
        <Checkbox.Group data-testid="offer-made-to-order-weekdays">
          {WEEKDAYS.map((day) => (
            <Checkbox key={day} value={day} data-testid={`offer-made-to-order-weekday-${day}`}>
              {t(`weekday${day}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="cutoffTime" label={t('cutoffTime')} rules={[required, { pattern: TIME, message: t('cutoffTimeInvalid') }]}>
        <Input placeholder="18:00" style={{ width: 90 }} data-testid="offer-made-to-order-time" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="offer-made-to-order-save">
        {t('save')}
      </Button>
    </Form>
  );
}
