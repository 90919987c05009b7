import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton, Money } from '../../components/widgets';
import { parseMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { customizationMessages } from './customization-messages';
import { currencySymbol, moneyRule, OwnOffer, yuanText } from './shared';

type Option = Schemas['CustomizationOptionResponseDto'];
type OptionInput = Schemas['CustomizationOptionDto'];
type Kind = Option['kind'];

interface ChoiceForm {
  value: string;
  label: string;
  extra?: string;
}

interface OptionForm {
  key: string;
  label: string;
  kind: Kind;
  required?: boolean;
  maxLength?: number;
  extra?: string;
  choices?: ChoiceForm[];
}

const fen = (yuan: string | undefined) => (yuan ? (parseMoney(yuan) ?? 0) : 0);

/** The form's options → the api's: extra prices in fen, fields only where the kind has them. */
function toInput(options: OptionForm[]): OptionInput[] {
  return options.map((option) => ({
    key: option.key,
    label: option.label,
    kind: option.kind,
    required: option.required ?? false,
    ...(option.kind === 'text' && option.maxLength ? { maxLength: option.maxLength } : {}),
    ...(option.kind === 'choice'
      ? { choices: (option.choices ?? []).map((choice) => ({ value: choice.value, label: choice.label, extraPriceAmount: fen(choice.extra) })) }
      : { extraPriceAmount: fen(option.extra) }),
  }));
}

function toForm(options: Option[]): OptionForm[] {
  return options.map((option) => ({
    key: option.key,
    label: option.label,
    kind: option.kind,
    required: option.required,
    maxLength: option.maxLength ?? undefined,
    extra: option.kind === 'choice' ? undefined : yuanText(option.extraPriceAmount),
    choices: option.choices.map((choice) => ({ value: choice.value, label: choice.label, extra: yuanText(choice.extraPriceAmount) })),
  }));
}

/** An option's extra price, as a buyer reads it ("+¥5.00/件", or per choice). */
export function OptionExtra({ option, currency }: { option: Option; currency: string }) {
  const t = useT(customizationMessages);
  if (option.kind === 'choice') {
    return (
      <Space size={4} wrap>
        {option.choices.map((choice) => (
          <Tag key={choice.value}>
            {choice.label} {choice.extraPriceAmount > 0 ? <Money amount={choice.extraPriceAmount} currency={currency} /> : t('free')}
          </Tag>
        ))}
      </Space>
    );
  }
  return option.extraPriceAmount > 0 ? <Money amount={option.extraPriceAmount} currency={currency} /> : <span>{t('free')}</span>;
}

/** The options as a table (read-only: a re-share's inherited options, or a buyer's view). */
export function OptionsTable({ options, currency }: { options: Option[]; currency: string }) {
  const t = useT(customizationMessages);
  const kinds: Record<Kind, string> = { text: t('kindText'), choice: t('kindChoice'), file_url: t('kindFileUrl') };
  return (
    <Table<Option>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={options}
      columns={[
        { title: t('label'), dataIndex: 'label' },
        { title: t('key'), dataIndex: 'key' },
        { title: t('kind'), render: (_, option) => kinds[option.kind] },
        { title: t('required'), render: (_, option) => (option.required ? t('required') : t('optional')) },
        { title: t('extraYuan'), render: (_, option) => <OptionExtra option={option} currency={currency} /> },
      ]}
    />
  );
}

/** 定制选项 on one of my offers: editable on my origin offer, read-only (inherited) on a re-share. */
export function CustomizationCard({ offer, editable }: { offer: OwnOffer; editable: boolean }) {
  const t = useT(customizationMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ options: OptionForm[] }>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const customization = offer.customization;
  const options = customization?.options ?? [];
  const currency = customization?.currency ?? offer.price.currency;
  const onSaved = (text: string) => {
    setError(null);
    void message.success(text);
    void queries.invalidateQueries({ queryKey: ['offers'] });
  };
  const onFailed = (failure: unknown) => {
    setProblems(showFieldErrors(form, failure));
    setError(failure);
  };
  const save = useMutation({
    mutationFn: (values: OptionForm[]) => ok(api.PUT('/v1/offers/{offerId}/customization', { params: { path: { offerId: offer.id } }, body: { options: toInput(values) } })),
    onSuccess: () => onSaved(t('saved')),
    onError: onFailed,
  });
  const clear = useMutation({
    mutationFn: () => ok(api.DELETE('/v1/offers/{offerId}/customization', { params: { path: { offerId: offer.id } } })),
    onSuccess: () => onSaved(t('cleared')),
    onError: onFailed,
  });
  if (offer.kind === 'reshare' || !editable) {
    return (
      <Card title={t('title')} style={{ marginTop: 16 }} data-testid="offer-customization-card">
        {offer.kind === 'reshare' && <Typography.Paragraph type="secondary">{t('inheritedHint')}</Typography.Paragraph>}
        {options.length ? <OptionsTable options={options} currency={currency} /> : <Typography.Paragraph>{t('none')}</Typography.Paragraph>}
      </Card>
    );
  }
  return (
    <Card
      title={t('title')}
      style={{ marginTop: 16 }}
      data-testid="offer-customization-card"
      extra={
        options.length > 0 && (
          <ConfirmButton danger title={t('clearConfirm')} onConfirm={() => clear.mutate()} loading={clear.isPending} testId="offer-customization-clear">
            {t('clear')}
          </ConfirmButton>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ options: toForm(options) }} onFinish={(values) => save.mutate(values.options ?? [])}>
        <Form.List name="options">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <OptionFields key={field.key} name={field.name} currency={currency} onRemove={() => remove(field.name)} />
              ))}
              <Space>
                <Button onClick={() => add({ kind: 'text', required: false })} disabled={fields.length >= 10} data-testid="offer-customization-add">
                  {t('addOption')}
                </Button>
                <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="offer-customization-save">
                  {t('save')}
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}

/** One option's fields; a choice option lists its choices, each with its own extra price. */
function OptionFields({ name, currency, onRemove }: { name: number; currency: string; onRemove: () => void }) {
  const t = useT(customizationMessages);
  const kind = Form.useWatch(['options', name, 'kind']) as Kind | undefined;
  const money = moneyRule(t('moneyInvalid'));
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid={`offer-customization-option-${name}`}>
      <Space wrap align="start">
        <Form.Item
          name={[name, 'key']}
          label={t('key')}
          rules={[
            { required: true, message: t('requiredField') },
            { pattern: /^[a-z0-9_]{1,32}$/, message: t('keyInvalid') },
          ]}
        >
          <Input style={{ width: 150 }} data-testid={`offer-customization-key-${name}`} />
        </Form.Item>
        <Form.Item name={[name, 'label']} label={t('label')} rules={[{ required: true, message: t('requiredField') }, { max: 50 }]}>
          <Input style={{ width: 140 }} data-testid={`offer-customization-label-${name}`} />
        </Form.Item>
        <Form.Item name={[name, 'kind']} label={t('kind')}>
          <Select
            style={{ width: 110 }}
            data-testid={`offer-customization-kind-${name}`}
            options={[
              { value: 'text', label: t('kindText') },
              { value: 'choice', label: t('kindChoice') },
              { value: 'file_url', label: t('kindFileUrl') },
            ]}
          />
        </Form.Item>
        <Form.Item name={[name, 'required']} label={t('required')} valuePropName="checked">
          <Switch data-testid={`offer-customization-required-${name}`} />
        </Form.Item>
        {kind === 'text' && (
          <Form.Item name={[name, 'maxLength']} label={t('maxLength')}>
            <InputNumber min={1} max={200} precision={0} style={{ width: 90 }} />
          </Form.Item>
        )}
        {kind !== 'choice' && (
          <Form.Item name={[name, 'extra']} label={t('extraYuan')} rules={[money]}>
            <Input prefix={currencySymbol(currency)} style={{ width: 110 }} data-testid={`offer-customization-extra-${name}`} />
          </Form.Item>
        )}
        <Button danger type="link" onClick={onRemove} style={{ marginTop: 30 }}>
          {t('remove')}
        </Button>
      </Space>
      {kind === 'choice' && <ChoiceFields name={name} currency={currency} />}
    </Card>
  );
}

/** A choice option's choices, each with its own extra price. */
function ChoiceFields({ name, currency }: { name: number; currency: string }) {
  const t = useT(customizationMessages);
  const money = moneyRule(t('moneyInvalid'));
  return (
    <Form.List name={[name, 'choices']}>
      {(choices, { add, remove }) => (
        <>
          <Typography.Text strong>{t('choices')}</Typography.Text>
          {choices.map((choice) => (
            <Space key={choice.key} wrap align="start" data-testid={`offer-customization-choice-${name}-${choice.name}`}>
              <Form.Item name={[choice.name, 'value']} label={t('choiceValue')} rules={[{ required: true, message: t('requiredField') }, { max: 50 }]}>
                <Input style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name={[choice.name, 'label']} label={t('choiceLabel')} rules={[{ required: true, message: t('requiredField') }, { max: 50 }]}>
                <Input style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name={[choice.name, 'extra']} label={t('extraYuan')} rules={[money]}>
                <Input prefix={currencySymbol(currency)} style={{ width: 110 }} />
              </Form.Item>
              <Button danger type="link" onClick={() => remove(choice.name)} style={{ marginTop: 30 }}>
                {t('remove')}
              </Button>
            </Space>
          ))}
          <div>
            <Button size="small" onClick={() => add({})} disabled={choices.length >= 20} data-testid={`offer-customization-add-choice-${name}`}>
              {t('addChoice')}
            </Button>
          </div>
        </>
      )}
    </Form.List>
  );
}
