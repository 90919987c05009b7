import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem, isApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { commonMessages } from '../../components/common-messages';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime, ShownOnce } from '../../components/widgets';
import { formatDateTime } from '../../format';
import { useLanguage, useT } from '../../i18n/i18n';
import { ROLE_LABELS } from '../../layout/shell-messages';
import { MEMBER_STATUS } from './labels';
import { networkMessages } from './messages';

type Member = Schemas['MemberResponseDto'];
type Role = Member['role'];
type NewMember = Schemas['CreateMemberDto'];
const ROLES: Role[] = ['owner', 'operator', 'warehouse', 'finance'];

function AddMemberModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const [form] = Form.useForm<NewMember>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const add = useMutation({
    mutationFn: (body: NewMember) => ok(api.POST('/v1/members', { params: { header: { 'Idempotency-Key': key.current() } }, body: { ...body, email: body.email.trim() } })),
    onSuccess: () => {
      key.settle();
      void queries.invalidateQueries({ queryKey: ['members'] });
      form.resetFields();
      setError(null);
      onClose();
    },
    onError: (failure) => {
      key.settle(failure);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal open={open} title={t('addMember')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={add.isPending} okButtonProps={{ 'data-testid': 'member-add-submit' }} forceRender>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" initialValues={{ role: 'operator' }} onFinish={(values) => add.mutate(values)}>
        <Form.Item name="email" label={t('email')} rules={[{ required: true, message: t('required') }]}>
          <Input autoComplete="off" data-testid="member-add-email" />
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, message: t('required') }]}>
          <Input data-testid="member-add-name" />
        </Form.Item>
        <Form.Item name="role" label={t('role')} rules={[{ required: true, message: t('required') }]}>
          <Select data-testid="member-add-role" options={ROLES.map((role) => ({ value: role, label: <span data-testid={`member-role-option-${role}`}>{ROLE_LABELS[language][role]}</span> }))} />
        </Form.Item>
        <Form.Item name="password" label={t('initialPassword')} extra={t('passwordHint')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="new-password" data-testid="member-add-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const REFUSALS: Record<string, 'refusedOwn' | 'refusedLastOwner' | 'refusedEmail'> = { own_membership: 'refusedOwn', last_owner: 'refusedLastOwner', email_taken: 'refusedEmail' };

/** The api's refusal, explained in the member's language when it is a known one, with the api's own message beneath. */
function Refusal({ error }: { error: unknown }) {
  const t = useT(networkMessages);
  const known = isApiError(error) ? REFUSALS[error.code] : undefined;
  if (!known) return <ApiErrorAlert error={error} />;
  return <Alert type="error" showIcon role="alert" data-testid="member-refused" style={{ marginBottom: 16 }} title={t(known)} description={(error as Error).message} />;
}

type Action = { kind: 'role'; role: Role } | { kind: 'disable' } | { kind: 'enable' } | { kind: 'reset' } | { kind: 'sessions' };

function useMemberAction(onReset: (issued: Schemas['PasswordResetIssuedDto']) => void) {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const { message } = App.useApp();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ member, action }: { member: Member; action: Action }) => {
      const params = { params: { path: { memberId: member.id } } };
      if (action.kind === 'role') return ok(api.PUT('/v1/members/{memberId}/role', { ...params, body: { role: action.role } }));
      if (action.kind === 'disable') return ok(api.POST('/v1/members/{memberId}/disable', params));
      if (action.kind === 'enable') return ok(api.POST('/v1/members/{memberId}/enable', params));
      if (action.kind === 'reset') return ok(api.POST('/v1/members/{memberId}/password-reset', params));
      return ok(api.POST('/v1/members/{memberId}/revoke-sessions', params));
    },
    onSuccess: (answer, { member, action }) => {
      void queries.invalidateQueries({ queryKey: ['members'] });
      if (action.kind === 'reset') onReset(answer as Schemas['PasswordResetIssuedDto']);
      if (action.kind === 'sessions') void message.success(t('sessionsRevoked', { n: (answer as Schemas['SessionsRevokedDto']).revoked }));
      if (action.kind === 'role') void message.success(t('roleChanged', { name: member.name, role: ROLE_LABELS[language][action.role] }));
    },
  });
}

function MemberActions({ member, run }: { member: Member; run: (action: Action) => void }) {
  const t = useT(networkMessages);
  const id = member.id;
  return (
    <Space wrap>
      {member.status === 'disabled' ? (
        <Button onClick={() => run({ kind: 'enable' })} data-testid={`member-enable-${id}`}>
          {t('enable')}
        </Button>
      ) : (
        <ConfirmButton danger title={t('disableConfirm')} onConfirm={() => run({ kind: 'disable' })} testId={`member-disable-${id}`}>
          {t('disable')}
        </ConfirmButton>
      )}
      <Button onClick={() => run({ kind: 'reset' })} data-testid={`member-reset-${id}`}>
        {t('resetPassword')}
      </Button>
      <ConfirmButton title={t('revokeSessionsConfirm')} onConfirm={() => run({ kind: 'sessions' })} testId={`member-sessions-${id}`}>
        {t('revokeSessions')}
      </ConfirmButton>
    </Space>
  );
}

/** A role change asks first (a specific warning when the member demotes themself); the select shows the pending choice meanwhile. */
function useRoleChange(action: ReturnType<typeof useMemberAction>) {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const { modal } = App.useApp();
  const session = useSession();
  const [pending, setPending] = useState<{ memberId: string; role: Role } | null>(null);
  const ask = (member: Member, role: Role) => {
    if (role === member.role) return;
    const self = member.id === session.member?.id;
    setPending({ memberId: member.id, role });
    modal.confirm({
      title: t('roleConfirmTitle', { name: member.name, role: ROLE_LABELS[language][role] }),
      content: <span data-testid="member-role-warning">{self ? t('roleConfirmSelf', { role: ROLE_LABELS[language][role] }) : t('roleConfirmOther')}</span>,
      okText: t('roleConfirmOk'),
      okButtonProps: { danger: self, 'data-testid': 'member-role-confirm' },
      cancelButtonProps: { 'data-testid': 'member-role-cancel' },
      onOk: () => action.mutate({ member, action: { kind: 'role', role } }, { onSettled: () => setPending(null) }),
      onCancel: () => setPending(null),
    });
  };
  return { ask, shown: (member: Member): Role => (pending?.memberId === member.id ? pending.role : member.role) };
}

/** The merchant's members: add one with a role and an initial password, change roles, disable, reset passwords, end sessions. */
export function MembersPage() {
  const t = useT(networkMessages);
  const tc = useT(commonMessages);
  const { language } = useLanguage();
  const session = useSession();
  const [adding, setAdding] = useState(false);
  const [reset, setReset] = useState<Schemas['PasswordResetIssuedDto'] | null>(null);
  const action = useMemberAction(setReset);
  const roleChange = useRoleChange(action);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('membersTitle')}
        </Typography.Title>
        <Button type="primary" onClick={() => setAdding(true)} data-testid="member-add">
          {t('addMember')}
        </Button>
      </Space>
      <Refusal error={action.error} />
      <CursorTable<Member>
        queryKey={['members']}
        fetchPage={(cursor) => ok(api.GET('/v1/members', { params: { query: { cursor, limit: 50 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `member-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('emptyMembers')}
        columns={[
          { title: t('name'), key: 'name', render: (_, row) => `${row.name}${row.id === session.member?.id ? t('you') : ''}` },
          { title: t('email'), dataIndex: 'email' },
          {
            title: t('role'),
            key: 'role',
            render: (_, row) => (
              <Select<Role>
                value={roleChange.shown(row)}
                style={{ width: 110 }}
                onChange={(role) => roleChange.ask(row, role)}
                options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[language][role] }))}
                data-testid={`member-role-${row.id}`}
              />
            ),
          },
          { title: t('status'), key: 'status', render: (_, row) => <Tag color={row.status === 'active' ? 'success' : 'default'}>{MEMBER_STATUS[language][row.status] ?? row.status}</Tag> },
          { title: tc('createdAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
          { title: '', key: 'actions', render: (_, row) => <MemberActions member={row} run={(kind) => action.mutate({ member: row, action: kind })} /> },
        ]}
      />
      <AddMemberModal open={adding} onClose={() => setAdding(false)} />
      <ShownOnce title={t('resetTitle')} secret={reset?.token ?? null} onClose={() => setReset(null)} />
      {reset && <Alert style={{ marginTop: 16 }} type="info" showIcon title={t('resetHint', { name: reset.member.name, at: formatDateTime(reset.expiresAt, session.timeZone) })} />}
    </>
  );
}
