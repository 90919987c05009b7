import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { isApiError } from './api/errors';
import { SessionProvider } from './auth/session';
import { LanguageProvider, useLanguage } from './i18n/i18n';

const queries = new QueryClient({
  defaultOptions: {
    // 4xx answers are final (retrying a 403 or 404 cannot help); other failures retry twice.
    queries: { staleTime: 5_000, retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2, refetchOnWindowFocus: true },
    mutations: { retry: false },
  },
});

function Localized() {
  const { language } = useLanguage();
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#d4380d' } }}>
      <AntApp>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <LanguageProvider>
        <Localized />
      </LanguageProvider>
    </QueryClientProvider>
  </StrictMode>,
);
