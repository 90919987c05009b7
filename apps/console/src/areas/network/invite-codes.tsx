import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { useTimeZone } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime } from '../../components/widgets';
import { startOfLocalDay } from '../../format';
import { useLanguage, useT } from '../../i18n/i18n';
import { INVITE_COLOR, INVITE_STATUS } from './labels';
import { networkMessages } from './messages';

type Invite = Schemas['PartnerInviteResponseDto'];
type Created = Schemas['CreatedPartnerInviteResponseDto'];
interface CodeForm {
  maxUses?: number | null;
  expiresOn?: Dayjs | null;
  note?: string;
}

function CreateCodeModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (created: Created) => void }) {
  const t = useT(networkMessages);
  const timeZone = useTimeZone();
  const [form] = Form.useForm<CodeForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const create = useMutation({
    mutationFn: (values: CodeForm) =>
      ok(
        api.POST('/v1/partner-invites', {
          params: { header: { 'Idempotency-Key': key.current() } },
          body: {
            currency: 'CNY',
            settlementCycle: 'monthly',
            ...(values.maxUses ? { maxUses: values.maxUses as unknown as Record<string, never> } : {}),
            ...(values.expiresOn ? { expiresAt: startOfLocalDay(values.expiresOn.format('YYYY-MM-DD'), timeZone) } : {}),
            ...(values.note ? { note: values.note } : {}),
          },
        }),
      ),
    onSuccess: (created) => {
      key.settle();
      void queries.invalidateQueries({ queryKey: ['partner-invites'] });
      form.resetFields();
      setError(null);
      onCreated(created);
    },
    onError: (failure) => {
      key.settle(failure);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal open={open} title={t('createCode')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okButtonProps={{ 'data-testid': 'invite-code-submit' }} destroyOnHidden>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item name="maxUses" label={t('maxUses')} extra={t('maxUsesHint')}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="invite-code-max-uses" />
        </Form.Item>
        <Form.Item name="expiresOn" label={t('expiresAt')} extra={t('expiresHint')}>
          <DatePicker style={{ width: '100%' }} data-testid="invite-code-expires" />
        </Form.Item>
        <Form.Item name="note" label={t('codeNote')}>
          <Input maxLength={200} data-testid="invite-code-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Invite codes: create one (uses, expiry), see how often each was used, revoke one. The code itself is shown once. */
export function InviteCodesCard() {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/partner-invites/{invite}/revoke', { params: { path: { invite: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['partner-invites'] }),
  });
  return (
    <Card
      title={t('codesTitle')}
      extra={
        <Button onClick={() => setCreating(true)} data-testid="invite-code-create">
          {t('createCode')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('codesHint')}</Typography.Paragraph>
      {created && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setCreated(null) }}
          style={{ marginBottom: 16 }}
          title={t('newCode')}
          description={
            <Space orientation="vertical">
              <Typography.Text code copyable data-testid="invite-code-value" style={{ fontSize: 18 }}>
                {created.code}
              </Typography.Text>
              <Typography.Text type="secondary" copyable={{ text: `${window.location.origin}/console${created.link}` }}>
                {t('codeLink')}: /console{created.link}
              </Typography.Text>
            </Space>
          }
        />
      )}
      <ApiErrorAlert error={revoke.error} />
      <CursorTable<Invite>
        queryKey={['partner-invites']}
        fetchPage={(cursor) => ok(api.GET('/v1/partner-invites', { params: { query: { cursor, limit: 20 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `invite-code-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('emptyCodes')}
        columns={[
          { title: t('codeHintCol'), key: 'hint', render: (_, row) => <Typography.Text code>{row.codeHint}</Typography.Text> },
          { title: t('status'), key: 'status', render: (_, row) => <Tag color={INVITE_COLOR[row.status]}>{INVITE_STATUS[language][row.status]}</Tag> },
          { title: t('uses'), key: 'uses', render: (_, row) => `${row.uses} / ${row.maxUses === null || row.maxUses === undefined ? t('unlimited') : String(row.maxUses)}` },
          { title: t('expiresAt'), key: 'expiresAt', render: (_, row) => <DateTime at={row.expiresAt} /> },
          { title: t('noteLabel'), key: 'note', render: (_, row) => (row.note as unknown as string | null) ?? '—' },
          {
            title: '',
            key: 'actions',
            render: (_, row) =>
              row.status === 'active' && (
                <ConfirmButton danger title={t('revokeConfirm')} onConfirm={() => revoke.mutate(row.id)} testId={`invite-code-revoke-${row.id}`}>
                  {t('revoke')}
                </ConfirmButton>
              ),
          },
        ]}
      />
      <CreateCodeModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(value) => {
          setCreating(false);
          setCreated(value);
        }}
      />
    </Card>
  );
}
