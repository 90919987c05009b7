import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { useLanguage, useT } from '../../i18n/i18n';
import { textOf } from './finance-kit';
import { financeMessages } from './messages';

/** Export: the worker writes the file; the page follows its progress, then offers the download. */
export function StatementExport({ statementId }: { statementId: string }) {
  const t = useT(financeMessages);
  const { language } = useLanguage();
  const [exportId, setExportId] = useState<string | null>(null);
  const request = useMutation({
    mutationFn: (format: 'xlsx' | 'csv') => ok(api.POST('/v1/statements/{statementId}/exports', { params: { path: { statementId } }, body: { format, language: language === 'en' ? 'en' : 'zh' } })),
    onSuccess: (requested) => setExportId(requested.id),
  });
  const progress = useQuery({
    queryKey: ['finance', 'export', exportId],
    enabled: exportId !== null,
    queryFn: () => ok(api.GET('/v1/statement-exports/{exportId}', { params: { path: { exportId: exportId ?? '' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : 500),
  });
  const fetchFile = useMutation({
    mutationFn: () => download(String(progress.data?.downloadUrl), textOf(progress.data?.fileName) ?? 'statement.xlsx'),
  });
  const current = progress.data;
  const busy = request.isPending || (exportId !== null && current?.status !== 'done' && current?.status !== 'failed');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ApiErrorAlert error={request.error ?? progress.error ?? fetchFile.error} />
      <Space>
        <Button type="primary" onClick={() => request.mutate('xlsx')} loading={busy} data-testid="finance-export">
          {t('export')}
        </Button>
        <Button onClick={() => request.mutate('csv')} disabled={busy} data-testid="finance-export-csv">
          {t('exportCsv')}
        </Button>
      </Space>
      {exportId && (
        <div data-testid="finance-export-progress" data-status={current?.status ?? 'queued'}>
          <Progress percent={current?.percent ?? 0} format={(percent) => `${percent ?? 0}%`} status={current?.status === 'failed' ? 'exception' : current?.status === 'done' ? 'success' : 'active'} />
          {current?.status === 'failed' && <Alert type="error" showIcon title={t('exportFailed')} description={textOf(current.error)} />}
          {current?.status === 'done' && (
            <Space direction="vertical" size={4}>
              <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
                {textOf(current.fileName)}
              </Typography.Text>
              <Button type="primary" ghost onClick={() => fetchFile.mutate()} loading={fetchFile.isPending} data-testid="finance-export-download">
                {t('downloadReady')}
              </Button>
            </Space>
          )}
        </div>
      )}
    </Space>
  );
}
