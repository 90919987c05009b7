import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Input, Space } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { ConfirmButton } from '../../components/widgets';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { amountOf, Statement } from './finance-kit';
import { financeMessages } from './messages';
import { DisputeDialog } from './dispute-dialog';
import { InvoiceRequestDialog, PaymentDialog } from './payment-dialogs';

/** What this member may do with the statement, by side and status (the api still decides). */
export function StatementActions({ statement }: { statement: Statement }) {
  const t = useT(financeMessages);
  const { can } = useSession();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [dialog, setDialog] = useState<'dispute' | 'payment' | 'invoice' | null>(null);
  const path = { params: { path: { statementId: statement.id } } };
  const refresh = () => queries.invalidateQueries({ queryKey: ['finance'] });
  const issue = useMutation({ mutationFn: () => ok(api.POST('/v1/statements/{statementId}/issue', { ...path, body: note ? { note } : {} })), onSuccess: refresh });
  const confirm = useMutation({ mutationFn: () => ok(api.POST('/v1/statements/{statementId}/confirm', path)), onSuccess: refresh });
  if (!can('finance:write')) return null;
  const payee = statement.yourSide === 'receivable';
  const canIssue = payee && ((statement.status === 'draft' && statement.frozen) || statement.status === 'disputed');
  const canPay = payee && statement.status === 'confirmed' && (amountOf(statement.outstanding)?.amount ?? 0) > 0;
  return (
    <>
      <ApiErrorAlert error={issue.error ?? confirm.error} />
      <Space wrap>
        {canIssue && (
          <>
            <Input placeholder={t('issueNote')} value={note} onChange={(event) => setNote(event.target.value)} style={{ width: 240 }} data-testid="finance-issue-note" />
            <ConfirmButton type="primary" title={t('issueConfirm')} onConfirm={() => issue.mutate()} loading={issue.isPending} testId="finance-issue">
              {statement.status === 'disputed' ? t('reissue') : t('issue')}
            </ConfirmButton>
          </>
        )}
        {!payee && statement.status === 'issued' && (
          <>
            <ConfirmButton type="primary" title={t('confirmConfirm')} onConfirm={() => confirm.mutate()} loading={confirm.isPending} testId="finance-confirm">
              {t('confirm')}
            </ConfirmButton>
            <Button danger onClick={() => setDialog('dispute')} data-testid="finance-dispute">
              {t('dispute')}
            </Button>
          </>
        )}
        {canPay && (
          <Button type="primary" onClick={() => setDialog('payment')} data-testid="finance-record-payment">
            {t('recordPayment')}
          </Button>
        )}
        {!payee && statement.status === 'settled' && (
          <Button onClick={() => setDialog('invoice')} data-testid="finance-request-invoice">
            {t('requestInvoice')}
          </Button>
        )}
      </Space>
      {dialog === 'dispute' && <DisputeDialog statement={statement} onClose={() => setDialog(null)} />}
      {dialog === 'payment' && <PaymentDialog statement={statement} onClose={() => setDialog(null)} />}
      {dialog === 'invoice' && <InvoiceRequestDialog statement={statement} onClose={() => setDialog(null)} />}
    </>
  );
}
