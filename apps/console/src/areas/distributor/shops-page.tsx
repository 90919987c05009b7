import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime, ShownOnce } from '../../components/widgets';
import { Shop, text, useDistributorT } from './hooks';
import { INTEGRATIONS, PLATFORMS, SHOP_STATUS } from './labels';
import { MapPlatformProductsModal } from './map-platform-products';
import { CredentialFields, credentialsOf, ShopIntegration } from './shop-credentials';

type CreateShop = Omit<Schemas['CreateShopDto'], 'platformCredentials'> & { platformCredentials?: Record<string, string | undefined> };

function ConnectShopModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (shop: Shop) => void }) {
  const { t, language } = useDistributorT();
  const queries = useQueryClient();
  const [form] = Form.useForm<CreateShop>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [key, setKey] = useState(idempotencyKey);
  const integration = (Form.useWatch('integration', form) ?? 'native') as ShopIntegration;
  const create = useMutation({
    mutationFn: (values: CreateShop) =>
      ok(
        api.POST('/v1/shops', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            platform: values.platform,
            name: values.name.trim(),
            integration: values.integration,
            ...(values.integration !== 'native' ? { platformCredentials: credentialsOf(values.integration, values.platformCredentials) } : {}),
            ...(values.callbackUrl?.trim() ? { callbackUrl: values.callbackUrl.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (shop) => {
      form.resetFields();
      setError(null);
      setKey(idempotencyKey());
      await queries.invalidateQueries({ queryKey: ['distributor', 'shops'] });
      onCreated(shop);
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal open={open} title={t('connectShop')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: create.isPending, 'data-testid': 'distributor-shop-submit' }}>
      <ApiErrorAlert error={error} problems={problems} />
      <Form<CreateShop>
        form={form}
        layout="vertical"
        initialValues={{ platform: 'youzan', integration: 'native' }}
        onValuesChange={(changed: Partial<CreateShop>) => {
          // A platform integration is that platform's shop.
          if (changed.integration && changed.integration !== 'native') form.setFieldValue('platform', changed.integration);
        }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="integration" label={t('integration')} extra={t('integrationHelp')}>
          <Select options={Object.entries(INTEGRATIONS[language]).map(([value, label]) => ({ value, label }))} data-testid="distributor-shop-integration" />
        </Form.Item>
        <Form.Item name="platform" label={t('platform')}>
          <Select options={Object.entries(PLATFORMS[language]).map(([value, label]) => ({ value, label }))} data-testid="distributor-shop-platform" />
        </Form.Item>
        <Form.Item name="name" label={t('shopName')} rules={[{ required: true, whitespace: true, message: t('shopNameRequired') }]}>
          <Input maxLength={100} data-testid="distributor-shop-name" />
        </Form.Item>
        <CredentialFields integration={integration} />
        {integration === 'native' && (
          <Form.Item name="callbackUrl" label={t('callbackUrl')} extra={t('callbackHelp')}>
            <Input placeholder="https://" data-testid="distributor-shop-callback" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Where the shop's orders go: the platform webhook URL to paste into the platform's admin, or the push URL for the shop's developer. */
function ShopAddress({ shop, origin }: { shop: Shop; origin: string }) {
  const { t } = useDistributorT();
  const webhookPath = text(shop.platformWebhookPath);
  return webhookPath ? (
    <Typography.Text copyable={{ text: `${origin}${webhookPath}` }} code title={t('platformWebhookHelp')} data-testid={`distributor-shop-webhook-${shop.id}`}>
      {`${origin}${webhookPath}`}
    </Typography.Text>
  ) : (
    <Typography.Text copyable code data-testid={`distributor-shop-push-${shop.id}`}>
      {`POST ${origin}${shop.orderPushPath}`}
    </Typography.Text>
  );
}

/** Shops: connect one (its webhook secret shown once), rotate the secret (shown once again); the id and push URL for the shop's developer. */
export function ShopsPage() {
  const { t, label } = useDistributorT();
  const queries = useQueryClient();
  const [connecting, setConnecting] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [mapping, setMapping] = useState<Shop | null>(null);
  const rotate = useMutation({
    mutationFn: (shopId: string) => ok(api.POST('/v1/shops/{shopId}/rotate-secret', { params: { path: { shopId } } })),
    onSuccess: async (shop) => {
      setSecret({ name: shop.name, secret: shop.webhookSecret ?? '' });
      await queries.invalidateQueries({ queryKey: ['distributor', 'shops'] });
    },
  });
  const origin = window.location.origin;
  return (
    <Card
      title={t('shopsTitle')}
      extra={
        <Button type="primary" onClick={() => setConnecting(true)} data-testid="distributor-connect-shop">
          {t('connectShop')}
        </Button>
      }
    >
      <ApiErrorAlert error={rotate.error} />
      <Typography.Paragraph type="secondary">{t('signHelp')}</Typography.Paragraph>
      <CursorTable<Shop>
        queryKey={['distributor', 'shops', 'list']}
        fetchPage={(cursor) => ok(api.GET('/v1/shops', { params: { query: { cursor, limit: 20 } } }))}
        rowKey="id"
        onRow={(shop) => ({ 'data-testid': `distributor-shop-row-${shop.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('shopsEmpty')}
        columns={[
          { title: t('shopName'), dataIndex: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
          { title: t('platform'), dataIndex: 'platform', render: (platform: string) => label(PLATFORMS, platform) },
          {
            title: t('integration'),
            dataIndex: 'integration',
            render: (integration: string) => <Tag data-testid={`distributor-shop-integration-${integration}`}>{label(INTEGRATIONS, integration)}</Tag>,
          },
          { title: t('shopId'), dataIndex: 'id', render: (id: string) => <Typography.Text copyable>{id}</Typography.Text> },
          {
            title: t('pushUrl'),
            render: (_, shop) => <ShopAddress shop={shop} origin={origin} />,
          },
          { title: t('callbackUrl'), render: (_, shop) => text(shop.callbackUrl) ?? '—' },
          { title: t('shopStatus'), render: (_, shop) => <Tag color={shop.status === 'active' ? 'green' : 'default'}>{label(SHOP_STATUS, shop.status)}</Tag> },
          { title: t('createdAt'), render: (_, shop) => <DateTime at={shop.createdAt} dateOnly /> },
          {
            title: '',
            align: 'right',
            render: (_, shop) => (
              <>
                {shop.integration !== 'native' && (
                  <Button size="small" style={{ marginRight: 8 }} onClick={() => setMapping(shop)} data-testid={`distributor-map-platform-${shop.id}`}>
                    {t('mapPlatformProducts')}
                  </Button>
                )}
                <ConfirmButton title={t('rotateConfirm')} onConfirm={() => rotate.mutate(shop.id)} loading={rotate.isPending && rotate.variables === shop.id} testId={`distributor-rotate-${shop.id}`}>
                  {t('rotateSecret')}
                </ConfirmButton>
              </>
            ),
          },
        ]}
      />
      <ConnectShopModal
        open={connecting}
        onClose={() => setConnecting(false)}
        onCreated={(shop) => {
          setConnecting(false);
          setSecret({ name: shop.name, secret: shop.webhookSecret ?? '' });
        }}
      />
      {mapping && <MapPlatformProductsModal shop={mapping} onClose={() => setMapping(null)} />}
      {/* Unmounted when closed, so the secret does not stay in the page. */}
      {secret && <ShownOnce title={t('secretTitle', { name: secret.name })} secret={secret.secret} onClose={() => setSecret(null)} />}
    </Card>
  );
}
