import { Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useSessionState } from '../auth/session';
import { ApiErrorAlert } from '../components/api-error';
import { useFormSubmit } from '../components/use-form-submit';
import { Language, useLanguage, useT } from '../i18n/i18n';
import { shellMessages } from './shell-messages';

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  const { language, setLanguage } = useLanguage();
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card
        style={{ width: 420 }}
        title={title}
        extra={
          <Segmented<Language>
            size="small"
            value={language}
            onChange={setLanguage}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'EN', value: 'en' },
            ]}
          />
        }
      >
        {children}
      </Card>
    </div>
  );
}

/** Sign in with the member's email and password. */
export function SignInPage() {
  const t = useT(shellMessages);
  const { signIn } = useSessionState();
  const [form] = Form.useForm<{ email: string; password: string }>();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const { submit, busy, error, problems } = useFormSubmit(form, async (values) => {
    await signIn(values.email.trim(), values.password);
    void navigate(from, { replace: true });
  });
  return (
    <Frame title={t('signInTitle')}>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="email" label={t('email')} rules={[{ required: true, message: t('required') }]}>
          <Input autoComplete="username" data-testid="sign-in-email" />
        </Form.Item>
        <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" data-testid="sign-in-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
          {t('signIn')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to="/sign-up">{t('noAccount')}</Link>
      </Typography.Paragraph>
    </Frame>
  );
}

/** The fields of a new merchant and its owner (sign-up, and joining through a partner's invite code). */
export function SignUpFields({ testIdPrefix }: { testIdPrefix: string }) {
  const t = useT(shellMessages);
  const required = [{ required: true, message: t('required') }];
  return (
    <>
      <Form.Item name="merchantName" label={t('merchantName')} rules={required}>
        <Input data-testid={`${testIdPrefix}-merchant`} />
      </Form.Item>
      <Form.Item name="ownerName" label={t('ownerName')} rules={required}>
        <Input data-testid={`${testIdPrefix}-owner`} />
      </Form.Item>
      <Form.Item name="email" label={t('email')} rules={required}>
        <Input autoComplete="username" data-testid={`${testIdPrefix}-email`} />
      </Form.Item>
      <Form.Item name="password" label={t('password')} extra={t('passwordHint')} rules={required}>
        <Input.Password autoComplete="new-password" data-testid={`${testIdPrefix}-password`} />
      </Form.Item>
    </>
  );
}

/** A new merchant and its owner. */
export function SignUpPage() {
  const t = useT(shellMessages);
  const { signUp } = useSessionState();
  const [form] = Form.useForm<{ merchantName: string; ownerName: string; email: string; password: string }>();
  const navigate = useNavigate();
  const { submit, busy, error, problems } = useFormSubmit(form, async (values) => {
    await signUp({ ...values, email: values.email.trim() });
    void navigate('/', { replace: true });
  });
  return (
    <Frame title={t('signUpTitle')}>
      <Typography.Paragraph type="secondary">{t('signUpHint')}</Typography.Paragraph>
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <SignUpFields testIdPrefix="sign-up" />
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-up-submit">
          {t('signUp')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to="/sign-in">{t('haveAccount')}</Link>
      </Typography.Paragraph>
    </Frame>
  );
}
