import { Button, Layout, Menu, Segmented, Space, Typography } from 'antd';
import { ReactNode, useMemo } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { AREAS } from '../areas/registry';
import { useSession, useSessionState } from '../auth/session';
import { Language, useLanguage, useT } from '../i18n/i18n';
import { ROLE_LABELS, shellMessages } from './shell-messages';

/** The frame of every signed-in screen: the menu (only what the member's role may use), language switch, sign-out. */
export function AppShell({ children }: { children: ReactNode }) {
  const t = useT(shellMessages);
  const session = useSession();
  const { signOut } = useSessionState();
  const { language, setLanguage } = useLanguage();
  const location = useLocation();

  const items = useMemo(
    () => [
      { key: '/', label: <Link to="/">{t('home')}</Link> },
      ...AREAS.map((area) => ({
        key: area.key,
        label: area.label[language],
        children: area.pages
          .filter((page) => !page.anyOf || page.anyOf.some((permission) => session.can(permission)))
          .map((page) => ({
            key: `/${area.key}/${page.path}`,
            label: (
              <Link to={`/${area.key}/${page.path}`} data-testid={`menu-${area.key}-${page.path}`}>
                {page.label[language]}
              </Link>
            ),
          })),
      })).filter((group) => group.children.length > 0),
    ],
    [language, session, t],
  );
  const selected = AREAS.flatMap((area) => area.pages.map((page) => `/${area.key}/${page.path}`)).find((path) => location.pathname.startsWith(path)) ?? '/';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} theme="light" breakpoint="lg" collapsedWidth={0}>
        <div style={{ padding: '16px 20px', fontSize: 20, fontWeight: 600 }}>{t('product')}</div>
        <Menu mode="inline" items={items} selectedKeys={[selected]} defaultOpenKeys={AREAS.map((area) => area.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', paddingInline: 24 }}>
          <Space size="middle">
            <Typography.Text data-testid="current-merchant">
              {session.merchant.name}
              {session.member && ` · ${session.member.name}（${ROLE_LABELS[language][session.member.role]}）`}
            </Typography.Text>
            <Segmented<Language>
              size="small"
              value={language}
              onChange={setLanguage}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'EN', value: 'en' },
              ]}
              data-testid="language-switch"
            />
            <Button onClick={() => void signOut()} data-testid="sign-out">
              {t('signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
