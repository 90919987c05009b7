import { Button, Card, Form, Typography } from 'antd';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { useSessionState } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { useFormSubmit } from '../../components/use-form-submit';
import { useT } from '../../i18n/i18n';
import { SignUpFields } from '../../layout/sign-in-page';
import { networkMessages } from './messages';

interface JoinForm {
  merchantName: string;
  ownerName: string;
  email: string;
  password: string;
}

/** /join/:code: a new merchant signs up with a partner's invite code; a signed-in one uses the code on its partners page. */
export default function JoinPage() {
  const t = useT(networkMessages);
  const { code = '' } = useParams();
  const { session, joinWithCode } = useSessionState();
  const [form] = Form.useForm<JoinForm>();
  const navigate = useNavigate();
  const { submit, busy, error, problems } = useFormSubmit(form, async (values) => {
    await joinWithCode(code, { ...values, email: values.email.trim() });
    void navigate('/network/partners', { replace: true });
  });
  const partnersWithCode = `/network/partners?code=${encodeURIComponent(code)}`;
  if (session) return <Navigate to={partnersWithCode} replace />;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 440 }} title={t('joinTitle')}>
        <Typography.Paragraph type="secondary">{t('joinHint')}</Typography.Paragraph>
        <Typography.Paragraph>
          {t('joinCode')}：<Typography.Text code>{code}</Typography.Text>
        </Typography.Paragraph>
        <ApiErrorAlert error={error} problems={problems} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <SignUpFields testIdPrefix="join" />
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="join-submit">
            {t('joinSubmit')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/sign-in" state={{ from: partnersWithCode }}>
            {t('joinHaveAccount')}
          </Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
