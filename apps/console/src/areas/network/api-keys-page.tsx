import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Col, DatePicker, Form, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { Permission, useTimeZone } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { commonMessages } from '../../components/common-messages';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime, ShownOnce } from '../../components/widgets';
import { startOfLocalDay } from '../../format';
import { useLanguage, useT } from '../../i18n/i18n';
import { ALL_PERMISSIONS, PERMISSION_LABELS } from './labels';
import { networkMessages } from './messages';

type ApiKey = Schemas['ApiKeyResponseDto'];
interface KeyForm {
  name: string;
  scopes: Permission[];
  expiresOn?: Dayjs | null;
}

function CreateKeyModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (key: string) => void }) {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const timeZone = useTimeZone();
  const [form] = Form.useForm<KeyForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const create = useMutation({
    mutationFn: (values: KeyForm) =>
      ok(
        api.POST('/v1/api-keys', {
          params: { header: { 'Idempotency-Key': key.current() } },
          body: { name: values.name, scopes: values.scopes, ...(values.expiresOn ? { expiresAt: startOfLocalDay(values.expiresOn.format('YYYY-MM-DD'), timeZone) } : {}) },
        }),
      ),
    onSuccess: (created) => {
      key.settle();
      void queries.invalidateQueries({ queryKey: ['api-keys'] });
      form.resetFields();
      setError(null);
      onCreated(created.key);
    },
    onError: (failure) => {
      key.settle(failure);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal
      open={open}
      width={640}
      title={t('createKey')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'api-key-submit' }}
      forceRender
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item name="name" label={t('keyName')} rules={[{ required: true, message: t('required') }]}>
          <Input placeholder={t('keyNamePlaceholder')} data-testid="api-key-name" />
        </Form.Item>
        <Form.Item name="scopes" label={t('scopes')} rules={[{ required: true, message: t('scopesRequired') }]}>
          <Checkbox.Group style={{ width: '100%' }}>
            <Row gutter={[8, 8]}>
              {ALL_PERMISSIONS.map((permission) => (
                <Col span={12} key={permission}>
                  <Checkbox value={permission} data-testid={`api-key-scope-${permission.replace(':', '-')}`}>
                    {PERMISSION_LABELS[language][permission]}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="expiresOn" label={t('keyExpires')} extra={t('keyExpiresHint')}>
          <DatePicker style={{ width: '100%' }} data-testid="api-key-expires" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** API keys: create one with chosen scopes (the key is shown once), see when each was last used, revoke one. */
export function ApiKeysPage() {
  const t = useT(networkMessages);
  const tc = useT(commonMessages);
  const { language } = useLanguage();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/api-keys/{apiKeyId}/revoke', { params: { path: { apiKeyId: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('keysTitle')}
        </Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="api-key-create">
          {t('createKey')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('keysHint')}
      </Typography.Paragraph>
      <ApiErrorAlert error={revoke.error} />
      <CursorTable<ApiKey>
        queryKey={['api-keys']}
        fetchPage={(cursor) => ok(api.GET('/v1/api-keys', { params: { query: { cursor, limit: 50 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `api-key-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('emptyKeys')}
        columns={[
          { title: t('keyName'), dataIndex: 'name' },
          { title: t('prefix'), key: 'prefix', render: (_, row) => <Typography.Text code>{row.prefix}…</Typography.Text> },
          {
            title: t('scopes'),
            key: 'scopes',
            render: (_, row) => (
              <Space size={[4, 4]} wrap>
                {row.scopes.map((scope) => (
                  <Tag key={scope}>{PERMISSION_LABELS[language][scope]}</Tag>
                ))}
              </Space>
            ),
          },
          { title: t('lastUsed'), key: 'lastUsed', render: (_, row) => (row.lastUsedAt ? <DateTime at={row.lastUsedAt as unknown as string} /> : t('never')) },
          { title: t('expires'), key: 'expires', render: (_, row) => (row.expiresAt ? <DateTime at={row.expiresAt} /> : t('noExpiry')) },
          { title: tc('createdAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
          {
            title: tc('status'),
            key: 'status',
            render: (_, row) => (row.revokedAt ? <Tag data-testid={`api-key-revoked-${row.id}`}>{t('revoked')}</Tag> : <Tag color="success">{t('keyActive')}</Tag>),
          },
          {
            title: '',
            key: 'actions',
            render: (_, row) =>
              !row.revokedAt && (
                <ConfirmButton danger title={t('revokeKeyConfirm')} onConfirm={() => revoke.mutate(row.id)} testId={`api-key-revoke-${row.id}`}>
                  {t('revokeKey')}
                </ConfirmButton>
              ),
          },
        ]}
      />
      <CreateKeyModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setSecret(key);
        }}
      />
      <ShownOnce title={t('newKey')} secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
