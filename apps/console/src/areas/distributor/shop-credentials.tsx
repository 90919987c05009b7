import { Form, Input } from 'antd';
import { useDistributorT } from './hooks';

export type ShopIntegration = 'native' | 'shopify' | 'woocommerce' | 'youzan';

type CredentialKey = 'shopDomain' | 'webhookSecret' | 'accessToken' | 'apiVersion' | 'locationId' | 'apiBaseUrl' | 'siteUrl' | 'consumerKey' | 'consumerSecret' | 'clientId' | 'clientSecret' | 'kdtId';

/** Each platform's credential fields, as the api's platform-credentials DTOs name them (required first). */
export const CREDENTIAL_FIELDS: Record<Exclude<ShopIntegration, 'native'>, { key: CredentialKey; required: boolean; secret?: boolean }[]> = {
  shopify: [
    { key: 'shopDomain', required: true },
    { key: 'webhookSecret', required: true, secret: true },
    { key: 'accessToken', required: true, secret: true },
    { key: 'apiVersion', required: false },
    { key: 'locationId', required: false },
    { key: 'apiBaseUrl', required: false },
  ],
  woocommerce: [
    { key: 'siteUrl', required: true },
    { key: 'webhookSecret', required: true, secret: true },
    { key: 'consumerKey', required: true, secret: true },
    { key: 'consumerSecret', required: true, secret: true },
  ],
  youzan: [
    { key: 'clientId', required: true },
    { key: 'clientSecret', required: true, secret: true },
    { key: 'kdtId', required: true },
    { key: 'apiBaseUrl', required: false },
  ],
};

/** The credentials to send: the integration's fields, trimmed, the empty optional ones left out. */
export function credentialsOf(integration: ShopIntegration, values: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (integration === 'native') return undefined;
  return Object.fromEntries(CREDENTIAL_FIELDS[integration].flatMap(({ key }) => (values?.[key]?.trim() ? [[key, values[key]!.trim()]] : [])));
}

/** The credential fields of the chosen integration; the api's errors (`platformCredentials.<field>`) show beside them. */
export function CredentialFields({ integration }: { integration: ShopIntegration }) {
  const { t } = useDistributorT();
  if (integration === 'native') return null;
  return (
    <fieldset data-testid="distributor-shop-credentials" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('credentials')}</legend>
      {CREDENTIAL_FIELDS[integration].map(({ key, required, secret }) => (
        <Form.Item key={key} name={['platformCredentials', key]} label={t(key)} rules={required ? [{ required: true, whitespace: true, message: t('fieldRequired') }] : []}>
          {secret ? <Input.Password autoComplete="off" data-testid={`distributor-shop-credential-${key}`} /> : <Input data-testid={`distributor-shop-credential-${key}`} />}
        </Form.Item>
      ))}
    </fieldset>
  );
}
