import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useTimeZone } from '../../auth/session';
import { formatMoney, localToday, parseMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { amountOf, Statement } from './finance-kit';
import { financeMessages } from './messages';

type Currency = 'CNY' | 'USD' | 'HKD' | 'EUR';
const METHODS = ['bank_transfer', 'alipay', 'wechat_pay', 'other'] as const;

/** A yuan amount typed by a person; the rule refuses what parseMoney cannot read as a positive amount. */
export function useYuanRule() {
  const t = useT(financeMessages);
  return { validator: (_: unknown, value: string | undefined) => ((parseMoney(value ?? '') ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('badAmount')))) };
}

interface PaymentForm {
  amount: { amount: string };
  method: (typeof METHODS)[number];
  reference: string;
  paidOn: string;
}

/**
 * A payment (against a confirmed statement) or a prepaid top-up the payee received. The amount is
 * typed in yuan and sent in fen; the api refuses more than is left, and its reason shows beside the amount.
 */
export function PaymentDialog(props: { statement?: Statement; buyer?: { merchantId: string; name: string; currency: string }; onClose: () => void }) {
  const t = useT(financeMessages);
  const timeZone = useTimeZone();
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PaymentForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const key = useMemo(() => idempotencyKey(), []);
  const yuanRule = useYuanRule();
  const { statement } = props;
  const buyer = statement ? { merchantId: statement.payer.merchantId, name: statement.payer.name, currency: statement.currency } : props.buyer!;
  const left = amountOf(statement?.outstanding);
  const save = useMutation({
    mutationFn: (values: PaymentForm) =>
      ok(
        api.POST('/v1/settlement/payments', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            buyerMerchantId: buyer.merchantId,
            kind: statement ? 'payment' : 'top_up',
            amount: { amount: parseMoney(values.amount.amount) ?? 0, currency: buyer.currency as Currency },
            method: values.method,
            reference: values.reference,
            paidOn: values.paidOn,
            statementId: statement?.id,
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['finance'] });
      props.onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal
      open
      title={statement ? t('paymentTitle', { left: formatMoney(left?.amount, left?.currency) }) : t('topUpTitle', { name: buyer.name })}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'finance-payment-submit' }}
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form<PaymentForm> form={form} layout="vertical" initialValues={{ method: 'bank_transfer', paidOn: localToday(timeZone), amount: { amount: '' } }} onFinish={(values) => save.mutate(values)}>
        <Form.Item name={['amount', 'amount']} label={t('paymentAmount')} rules={[yuanRule]}>
          <Input prefix="¥" inputMode="decimal" data-testid="finance-payment-amount" />
        </Form.Item>
        <Form.Item name="method" label={t('paymentMethod')}>
          <Select options={METHODS.map((value) => ({ value, label: t(`method.${value}`) }))} data-testid="finance-payment-method" />
        </Form.Item>
        <Form.Item name="reference" label={t('paymentReference')} rules={[{ required: true }]}>
          <Input data-testid="finance-payment-reference" />
        </Form.Item>
        <Form.Item name="paidOn" label={t('paidOn')} rules={[{ required: true }]}>
          <Input type="date" data-testid="finance-payment-paid-on" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface InvoiceForm {
  title: string;
  taxNumber: string;
  amount: { amount: string };
  invoiceType: 'normal' | 'special';
}

/** The payer asks for an invoice (发票) on a settled statement, up to what is not yet requested. */
export function InvoiceRequestDialog({ statement, onClose }: { statement: Statement; onClose: () => void }) {
  const t = useT(financeMessages);
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InvoiceForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const key = useMemo(() => idempotencyKey(), []);
  const yuanRule = useYuanRule();
  const due = amountOf(statement.due);
  const save = useMutation({
    mutationFn: (values: InvoiceForm) =>
      ok(
        api.POST('/v1/statements/{statementId}/invoice-requests', {
          params: { path: { statementId: statement.id }, header: { 'Idempotency-Key': key } },
          body: {
            title: values.title,
            taxNumber: values.taxNumber,
            invoiceType: values.invoiceType,
            amount: { amount: parseMoney(values.amount.amount) ?? 0, currency: statement.currency as Currency },
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('invoiceRequested'));
      await queries.invalidateQueries({ queryKey: ['finance'] });
      onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  const initial = { invoiceType: 'normal' as const, amount: { amount: due ? (due.amount / 100).toFixed(2) : '' } };
  return (
    <Modal open title={t('requestInvoice')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: save.isPending, 'data-testid': 'finance-invoice-submit' }}>
      <ApiErrorAlert error={error} problems={problems} />
      <Form<InvoiceForm> form={form} layout="vertical" initialValues={initial} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="title" label={t('invoiceTitle')} rules={[{ required: true }]}>
          <Input data-testid="finance-invoice-title" />
        </Form.Item>
        <Form.Item name="taxNumber" label={t('taxNumber')} rules={[{ required: true }]}>
          <Input data-testid="finance-invoice-tax-number" />
        </Form.Item>
        <Form.Item name={['amount', 'amount']} label={t('invoiceAmount')} rules={[yuanRule]}>
          <Input prefix="¥" inputMode="decimal" data-testid="finance-invoice-amount" />
        </Form.Item>
        <Form.Item name="invoiceType" label={t('invoiceType')}>
          <Select options={(['normal', 'special'] as const).map((value) => ({ value, label: t(`invoiceType.${value}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
