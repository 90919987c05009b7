import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Card, Form, Input, InputNumber, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ConfirmButton } from '../../components/widgets';
import { formatMoney, parseMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { ReturnCase } from './labels';
import { warehouseMessages } from './messages';

type Action = 'approve' | 'reject' | 'receive' | 'refund';

function useReturnAction(returnCase: ReturnCase) {
  const queryClient = useQueryClient();
  // A refund (and a top-up) creates money movements: a click retried after a lost answer must not refund twice.
  const key = useIdempotencyKey();
  const path = { returnId: returnCase.id };
  return useMutation({
    mutationFn: ({ action, body }: { action: Action; body: Record<string, unknown> }) => {
      if (action === 'approve') return ok(api.POST('/v1/returns/{returnId}/approve', { params: { path }, body }));
      if (action === 'reject') return ok(api.POST('/v1/returns/{returnId}/reject', { params: { path }, body }));
      if (action === 'receive') return ok(api.POST('/v1/returns/{returnId}/receive', { params: { path }, body }));
      return ok(api.POST('/v1/returns/{returnId}/refund', { params: { path, header: { 'Idempotency-Key': key.current() } }, body }));
    },
    onSettled: (_data, error) => key.settle(error ?? undefined),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['warehouse'] }),
  });
}

/** Approve or reject (a reason is required to reject). */
export function DecideReturn({ returnCase }: { returnCase: ReturnCase }) {
  const t = useT(warehouseMessages);
  const [reason, setReason] = useState('');
  const mutation = useReturnAction(returnCase);
  const trimmed = reason.trim();
  return (
    <Card title={t('decideTitle')} size="small">
      <ApiErrorAlert error={mutation.error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} placeholder={t('decideReasonPlaceholder')} data-testid="return-decision-reason" />
        <Space>
          <ConfirmButton type="primary" onConfirm={() => mutation.mutate({ action: 'approve', body: trimmed ? { reason: trimmed } : {} })} loading={mutation.isPending} testId="return-approve">
            {t('approve')}
          </ConfirmButton>
          <ConfirmButton danger disabled={!trimmed} onConfirm={() => mutation.mutate({ action: 'reject', body: { reason: trimmed } })} loading={mutation.isPending} testId="return-reject">
            {t('reject')}
          </ConfirmButton>
        </Space>
      </Space>
    </Card>
  );
}

type RestockMode = 'all' | 'none' | 'lines';

/** The parcel came back: back on the shelf or not, all of it or so many units per line. */
export function ReceiveReturn({ returnCase }: { returnCase: ReturnCase }) {
  const t = useT(warehouseMessages);
  const [mode, setMode] = useState<RestockMode>('all');
  const [units, setUnits] = useState<Record<string, number>>({});
  const [note, setNote] = useState('');
  const mutation = useReturnAction(returnCase);
  const lines = returnCase.lines.filter((line) => line.fulfillmentOrderLineId);
  const unitsOf = (lineId: string, quantity: number) => units[lineId] ?? quantity;
  const restock =
    mode === 'lines' ? { lines: lines.map((line) => ({ lineId: line.fulfillmentOrderLineId!, restockQuantity: unitsOf(line.fulfillmentOrderLineId!, line.quantity) })) } : { restock: mode === 'all' };
  return (
    <Card title={t('receiveTitle')} size="small">
      <ApiErrorAlert error={mutation.error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group value={mode} onChange={(event) => setMode(event.target.value as RestockMode)} data-testid="return-restock">
          <Radio value="all">{t('restockYes')}</Radio>
          <Radio value="none">{t('restockNo')}</Radio>
          {lines.length > 0 && <Radio value="lines">{t('restockPerLine')}</Radio>}
        </Radio.Group>
        {mode === 'lines' && (
          <Table
            rowKey={(line) => line.fulfillmentOrderLineId!}
            size="small"
            pagination={false}
            dataSource={lines}
            columns={[
              { title: t('skuCode'), dataIndex: 'skuCode' },
              { title: t('quantity'), dataIndex: 'quantity' },
              {
                title: t('restockQuantity'),
                key: 'restock',
                render: (_, line) => (
                  <InputNumber
                    min={0}
                    max={line.quantity}
                    precision={0}
                    value={unitsOf(line.fulfillmentOrderLineId!, line.quantity)}
                    onChange={(value) => setUnits({ ...units, [line.fulfillmentOrderLineId!]: Number(value ?? 0) })}
                    data-testid={`return-restock-qty-${line.skuCode}`}
                  />
                ),
              },
            ]}
          />
        )}
        <Input value={note} onChange={(event) => setNote(event.target.value)} placeholder={t('receiveNote')} />
        <ConfirmButton
          type="primary"
          onConfirm={() => mutation.mutate({ action: 'receive', body: { ...restock, ...(note.trim() ? { note: note.trim() } : {}) } })}
          loading={mutation.isPending}
          testId="return-receive"
        >
          {t('receive')}
        </ConfirmButton>
      </Space>
    </Card>
  );
}

/**
 * Refund the buyer: everything it paid for these units, or a part typed in yuan; on a partially
 * refunded case, a top-up: the rest, or a part of it.
 */
export function RefundReturn({ returnCase }: { returnCase: ReturnCase }) {
  const t = useT(warehouseMessages);
  const [form] = Form.useForm<{ mode: 'full' | 'part'; amount?: string }>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const mutation = useReturnAction(returnCase);
  const mode = Form.useWatch('mode', form) ?? 'full';
  const paid = returnCase.money.paidByBuyer;
  const currency = paid?.currency ?? 'CNY';
  const topUp = returnCase.status === 'refunded';
  const left = leftToRefund(returnCase);
  const submit = () => {
    const values = form.getFieldsValue();
    let body: Record<string, unknown> = {};
    if (values.mode === 'part') {
      const amount = parseMoney(values.amount ?? '');
      if (amount === null || amount <= 0) {
        form.setFields([{ name: 'amount', errors: [t('amountInvalid')] }]);
        return;
      }
      body = { amount: { amount, currency } };
    }
    // The refund it adds to: a repeated click after the case moved on is refused, never a second top-up.
    body.expectedRefundCount = returnCase.refundCount;
    mutation.mutate({ action: 'refund', body }, { onError: (error) => setProblems(showFieldErrors(form, remapAmount(error))) });
  };
  return (
    <Card title={topUp ? t('refundTopUpTitle') : t('refundTitle')} extra={topUp ? t('refundLeft', { amount: formatMoney(left, currency) }) : undefined} size="small">
      <ApiErrorAlert error={mutation.error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ mode: 'full' }}>
        <Form.Item name="mode">
          <Radio.Group data-testid="return-refund-mode">
            <Radio value="full">{topUp ? t('refundTopUpFull', { amount: formatMoney(left, currency) }) : t('refundFull', { amount: formatMoney(paid?.amount, currency) })}</Radio>
            <Radio value="part">{topUp ? t('refundTopUpPart') : t('refundPart')}</Radio>
          </Radio.Group>
        </Form.Item>
        {mode === 'part' && (
          <Form.Item name="amount" label={t('refundAmount')} style={{ maxWidth: 240 }}>
            <Input prefix="¥" placeholder="0.00" data-testid="return-refund-amount" />
          </Form.Item>
        )}
        <ConfirmButton type="primary" onConfirm={submit} loading={mutation.isPending} testId="return-refund">
          {t('refund')}
        </ConfirmButton>
      </Form>
    </Card>
  );
}

/** What the supplier may still refund its buyer: paid, less what it refunded (a partial refund can be topped up). */
function leftToRefund(returnCase: ReturnCase): number {
  return (returnCase.money.paidByBuyer?.amount ?? 0) - (returnCase.money.refundedByYou?.amount ?? 0);
}

/** The api names `amount.amount`; the form's field is `amount`. */
function remapAmount(error: unknown): unknown {
  if (!(error && typeof error === 'object' && 'details' in error)) return error;
  const apiError = error as { details: FieldProblem[] };
  for (const detail of apiError.details) if (detail.field?.startsWith('amount.')) detail.field = 'amount';
  return error;
}

export function ReturnActions({ returnCase, can }: { returnCase: ReturnCase; can: (permission: 'aftersales:write' | 'aftersales:refund') => boolean }) {
  const { status, kind, yourRole } = returnCase;
  // Only the supplier decides, receives and refunds (libs/aftersales moves these as 'supplier'); a
  // distributor or broker on the same case sees it without these actions.
  const supplier = yourRole === 'supplier';
  const decide = supplier && status === 'pending_approval' && can('aftersales:write');
  const receive = supplier && kind === 'return_and_refund' && (status === 'approved' || status === 'return_shipped') && can('aftersales:write');
  const refund = supplier && (status === 'received' || (kind === 'refund_only' && status === 'approved') || (status === 'refunded' && leftToRefund(returnCase) > 0)) && can('aftersales:refund');
  if (!decide && !receive && !refund) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {decide && <DecideReturn returnCase={returnCase} />}
      {receive && <ReceiveReturn returnCase={returnCase} />}
      {refund && <RefundReturn returnCase={returnCase} />}
    </Space>
  );
}
