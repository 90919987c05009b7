import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, Modal, Radio, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { useSession } from '../../auth/session';
import { formatMoney, parseMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { amountOf, Side, sideOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';
import { PaymentDialog } from './payment-dialogs';

type Balance = Schemas['BalanceResponseDto'];
type Currency = 'CNY' | 'USD' | 'HKD' | 'EUR';

interface TermsForm {
  terms: 'on_account' | 'prepaid';
  creditLimit: { amount: string };
}

/** The supplier sets a buyer's terms: on account (within a credit limit, or unlimited) or prepaid. */
function TermsDialog({ balance, onClose }: { balance: Balance; onClose: () => void }) {
  const t = useT(financeMessages);
  const queries = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TermsForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const terms = Form.useWatch('terms', form);
  const limit = amountOf(balance.creditLimit);
  const save = useMutation({
    mutationFn: (values: TermsForm) => {
      const fen = values.terms === 'on_account' && values.creditLimit?.amount ? parseMoney(values.creditLimit.amount) : null;
      return ok(
        api.PUT('/v1/partnerships/{partnershipId}/payment-terms', {
          params: { path: { partnershipId: balance.partnershipId ?? '' } },
          body: { terms: values.terms, ...(fen !== null ? { creditLimit: { amount: fen, currency: balance.currency as Currency } } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['finance'] });
      onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  const initial = { terms: balance.terms, creditLimit: { amount: limit ? (limit.amount / 100).toFixed(2) : '' } };
  return (
    <Modal
      open
      title={t('termsTitle', { name: balance.counterpartyName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'finance-terms-submit' }}
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form<TermsForm> form={form} layout="vertical" initialValues={initial} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="terms" label={t('terms')}>
          <Radio.Group
            data-testid="finance-terms"
            options={(['on_account', 'prepaid'] as const).map((value) => ({ value, label: <span data-testid={`finance-terms-${value}`}>{t(`terms.${value}`)}</span> }))}
          />
        </Form.Item>
        {terms !== 'prepaid' && (
          <Form.Item
            name={['creditLimit', 'amount']}
            label={t('creditLimitYuan')}
            rules={[{ validator: (_, value?: string) => (!value || (parseMoney(value) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('badAmount')))) }]}
          >
            <Input prefix="¥" inputMode="decimal" data-testid="finance-terms-credit-limit" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function Waiting({ balance }: { balance: Balance }) {
  const t = useT(financeMessages);
  if (balance.waiting.orders === 0) return <Typography.Text type="secondary">{t('noneWaiting')}</Typography.Text>;
  const missing = amountOf(balance.waiting.missing);
  return <Tag color="warning">{t('waitingOrders', { n: balance.waiting.orders, missing: formatMoney(missing?.amount, missing?.currency) })}</Tag>;
}

/** Per counterparty and currency: what is owed, held, the credit and what may still be spent; the supplier edits terms and records top-ups. */
export function BalancesPage() {
  const t = useT(financeMessages);
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const side = sideOf(params.get('side'));
  const [dialog, setDialog] = useState<{ kind: 'terms' | 'topUp'; balance: Balance } | null>(null);
  const writable = side === 'receivable' && can('finance:write');
  return (
    <Card title={t('balancesTitle')}>
      <Tabs
        activeKey={side}
        onChange={(key) => setParams({ side: key }, { replace: true })}
        items={(['receivable', 'payable'] as Side[]).map((key) => ({ key, label: <span data-testid={`finance-balances-side-${key}`}>{t(`side.${key}`)}</span> }))}
      />
      <CursorTable<Balance>
        queryKey={['finance', 'balances', side]}
        fetchPage={(cursor) => ok(api.GET('/v1/settlement/balances', { params: { query: { side, cursor } } }))}
        rowKey={(row) => `${row.counterpartyMerchantId}:${row.currency}`}
        onRow={(row) => ({ 'data-testid': `finance-balance-${row.counterpartyMerchantId}` }) as React.HTMLAttributes<HTMLElement>}
        empty={side === 'receivable' ? t('emptyBalancesReceivable') : t('emptyBalancesPayable')}
        columns={[
          { title: t('counterparty'), key: 'name', render: (_, row) => <Typography.Text strong>{row.counterpartyName}</Typography.Text> },
          { title: t('terms'), key: 'terms', render: (_, row) => <Tag color={row.terms === 'prepaid' ? 'purple' : 'blue'}>{t(`terms.${row.terms}`)}</Tag> },
          {
            title: t('creditLimit'),
            key: 'limit',
            align: 'right',
            render: (_, row) => (row.creditLimit ? <Yuan value={row.creditLimit} testId={`finance-balance-limit-${row.counterpartyMerchantId}`} /> : row.terms === 'on_account' ? t('unlimited') : '—'),
          },
          { title: t('charged'), key: 'charged', align: 'right', render: (_, row) => <Yuan value={row.charged} /> },
          { title: t('paid'), key: 'paid', align: 'right', render: (_, row) => <Yuan value={row.paid} /> },
          { title: t('held'), key: 'held', align: 'right', render: (_, row) => <Yuan value={row.held} /> },
          { title: t('balance'), key: 'balance', align: 'right', render: (_, row) => <Yuan value={row.balance} /> },
          {
            title: t('available'),
            key: 'available',
            align: 'right',
            render: (_, row) => (row.available ? <Yuan value={row.available} testId={`finance-balance-available-${row.counterpartyMerchantId}`} /> : t('unlimited')),
          },
          { title: t('waiting'), key: 'waiting', render: (_, row) => <Waiting balance={row} /> },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, row) =>
              writable ? (
                <Space>
                  {row.partnershipId && (
                    <Button size="small" onClick={() => setDialog({ kind: 'terms', balance: row })} data-testid={`finance-edit-terms-${row.counterpartyMerchantId}`}>
                      {t('editTerms')}
                    </Button>
                  )}
                  {row.terms === 'prepaid' && (
                    <Button size="small" onClick={() => setDialog({ kind: 'topUp', balance: row })} data-testid={`finance-top-up-${row.counterpartyMerchantId}`}>
                      {t('topUp')}
                    </Button>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {dialog?.kind === 'terms' && <TermsDialog balance={dialog.balance} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'topUp' && (
        <PaymentDialog buyer={{ merchantId: dialog.balance.counterpartyMerchantId, name: dialog.balance.counterpartyName, currency: dialog.balance.currency }} onClose={() => setDialog(null)} />
      )}
    </Card>
  );
}
