import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Form, Input, Row, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useIdempotencyKey } from '../../api/use-idempotency-key';
import { FieldProblem } from '../../api/errors';
import { useSession } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { InviteCodesCard } from './invite-codes';
import { networkMessages } from './messages';
import { counterpart, PartnershipsTable } from './partnerships-table';

function MyMerchantId() {
  const t = useT(networkMessages);
  const { merchant } = useSession();
  return (
    <Card size="small" style={{ marginBottom: 16, background: '#f0f5ff' }}>
      <Space size="large" wrap>
        <Typography.Text strong>{t('myMerchantId')}</Typography.Text>
        <Typography.Text code copyable={{ text: merchant.id, tooltips: [t('copyId'), t('copied')] }} style={{ fontSize: 20 }} data-testid="my-merchant-id">
          {merchant.id}
        </Typography.Text>
        <Typography.Text type="secondary">{t('myMerchantIdHint')}</Typography.Text>
      </Space>
    </Card>
  );
}

function InviteById() {
  const t = useT(networkMessages);
  const [form] = Form.useForm<{ downstreamMerchantId: string; note?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>();
  const [sent, setSent] = useState<string | null>(null);
  const queries = useQueryClient();
  const key = useIdempotencyKey();
  const invite = useMutation({
    mutationFn: (values: { downstreamMerchantId: string; note?: string }) =>
      ok(
        api.POST('/v1/partnerships', {
          params: { header: { 'Idempotency-Key': key.current() } },
          body: { downstreamMerchantId: values.downstreamMerchantId.trim(), currency: 'CNY', settlementCycle: 'monthly', ...(values.note ? { note: values.note } : {}) },
        }),
      ),
    onSuccess: (answer) => {
      key.settle();
      setSent(answer.downstreamMerchantId);
      setError(null);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ['partnerships'] });
    },
    onError: (failure) => {
      key.settle(failure);
      setSent(null);
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Card title={t('inviteTitle')} style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary">{t('inviteHint')}</Typography.Paragraph>
      <ApiErrorAlert error={error} problems={problems} />
      {sent && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('inviteSent', { id: sent })} data-testid="partner-invite-sent" />}
      <Form form={form} layout="inline" onFinish={(values) => invite.mutate(values)}>
        <Form.Item name="downstreamMerchantId" rules={[{ required: true, message: t('required') }]}>
          <Input placeholder={t('inviteMerchantId')} style={{ width: 200 }} data-testid="partner-invite-id" />
        </Form.Item>
        <Form.Item name="note">
          <Input placeholder={t('noteLabel')} style={{ width: 180 }} data-testid="partner-invite-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={invite.isPending} data-testid="partner-invite-submit">
          {t('inviteSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function AcceptCode() {
  const t = useT(networkMessages);
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const queries = useQueryClient();
  const accept = useMutation({
    mutationFn: (value: string) => ok(api.POST('/v1/partner-invites/{invite}/accept', { params: { path: { invite: value.trim() } } })),
    onSuccess: () => {
      setCode('');
      void queries.invalidateQueries({ queryKey: ['partnerships'] });
    },
  });
  return (
    <Card title={t('acceptCodeTitle')} style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary">{t('acceptCodeHint')}</Typography.Paragraph>
      <ApiErrorAlert error={accept.error} />
      {accept.data && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('codeAccepted', { name: counterpart(accept.data).name ?? '' })} data-testid="partner-code-accepted" />}
      <Space.Compact style={{ width: '100%' }}>
        <Input value={code} onChange={(event) => setCode(event.target.value)} placeholder={t('acceptCodePlaceholder')} data-testid="partner-code-input" />
        <Button type="primary" disabled={!code.trim()} loading={accept.isPending} onClick={() => accept.mutate(code)} data-testid="partner-code-submit">
          {t('acceptCode')}
        </Button>
      </Space.Compact>
    </Card>
  );
}

/** The three lists of partnerships; opens on the invitations when some wait for me, else on my partners downstream — or upstream when I have none downstream (a distributor). */
function PartnershipTabs() {
  const t = useT(networkMessages);
  const waiting = useQuery({
    queryKey: ['partnerships', 'upstream', 'invited', 'count'],
    queryFn: async () => (await ok(api.GET('/v1/partnerships', { params: { query: { side: 'upstream', status: 'invited', limit: 100 } } }))).data.length,
  });
  const downstream = useQuery({
    queryKey: ['partnerships', 'downstream', 'any'],
    queryFn: async () => (await ok(api.GET('/v1/partnerships', { params: { query: { side: 'downstream', limit: 1 } } }))).data.length > 0,
  });
  const [tab, setTab] = useState<string | null>(null);
  const active = tab ?? (waiting.data ? 'invitations' : downstream.data === false ? 'upstream' : 'downstream');
  return (
    <Card style={{ marginBottom: 16 }}>
      <Tabs
        activeKey={active}
        onChange={setTab}
        items={[
          {
            key: 'invitations',
            label: (
              <span data-testid="partners-tab-invitations">
                {t('tabInvitations')} <Badge count={waiting.data ?? 0} size="small" />
              </span>
            ),
            children: <PartnershipsTable side="upstream" status="invited" empty={t('emptyInvitations')} />,
          },
          { key: 'upstream', label: <span data-testid="partners-tab-upstream">{t('tabUpstream')}</span>, children: <PartnershipsTable side="upstream" empty={t('emptyUpstream')} /> },
          { key: 'downstream', label: <span data-testid="partners-tab-downstream">{t('tabDownstream')}</span>, children: <PartnershipsTable side="downstream" empty={t('emptyDownstream')} /> },
        ]}
      />
    </Card>
  );
}

/** My suppliers and my downstream partners, invitations to me, inviting by merchant id or with a code. */
export function PartnersPage() {
  const t = useT(networkMessages);
  const { can } = useSession();
  const manage = can('partners:manage');
  return (
    <>
      <Typography.Title level={3}>{t('partnersTitle')}</Typography.Title>
      <MyMerchantId />
      {!manage && <Alert type="info" showIcon title={t('partnersNoPermission')} data-testid="partners-no-permission" />}
      {manage && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col xs={24} lg={14}>
            <InviteById />
          </Col>
          <Col xs={24} lg={10}>
            <AcceptCode />
          </Col>
        </Row>
      )}
      {manage && <PartnershipTabs />}
      {manage && <InviteCodesCard />}
    </>
  );
}
