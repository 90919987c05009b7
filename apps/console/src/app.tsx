import { Button, Result, Spin } from 'antd';
import { lazy, ReactNode, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AREAS, loadHome, loadJoin } from './areas/registry';
import { useSessionState } from './auth/session';
import { useT } from './i18n/i18n';
import { AppShell } from './layout/app-shell';
import { shellMessages } from './layout/shell-messages';
import { SignInPage, SignUpPage } from './layout/sign-in-page';

const Home = lazy(loadHome);
const Join = lazy(loadJoin);
const AREA_ELEMENTS = AREAS.map((area) => ({ key: area.key, Element: lazy(area.load) }));

// The area of the address the page opened on starts loading at once, beside the session check.
const opened = AREAS.find((area) => window.location.pathname.startsWith(`/console/${area.key}/`));
if (opened) void opened.load();

function Loading() {
  return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;
}

function SignedIn({ children }: { children: ReactNode }) {
  const { session, loading } = useSessionState();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return (
    <AppShell>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </AppShell>
  );
}

function NotFound() {
  const t = useT(shellMessages);
  return (
    <Result
      status="404"
      title={t('notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('backHome')}</Button>
        </Link>
      }
    />
  );
}

/** Every screen under /console: sign-in and sign-up, then the areas (each loaded when first opened). */
export function App() {
  return (
    <BrowserRouter basename="/console">
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/sign-up" element={<SignUpPage />} />
        <Route
          path="/join/:code"
          element={
            <Suspense fallback={<Loading />}>
              <Join />
            </Suspense>
          }
        />
        <Route
          path="/"
          element={
            <SignedIn>
              <Home />
            </SignedIn>
          }
        />
        {AREA_ELEMENTS.map(({ key, Element }) => (
          <Route
            key={key}
            path={`/${key}/*`}
            element={
              <SignedIn>
                <Element />
              </SignedIn>
            }
          />
        ))}
        <Route
          path="*"
          element={
            <SignedIn>
              <NotFound />
            </SignedIn>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}
