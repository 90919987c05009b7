import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { ExportProgress } from '../../components/export-progress';
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
        <ExportProgress
          current={current ? { ...current, fileName: textOf(current.fileName), error: textOf(current.error) } : undefined}
          testId="finance-export-progress"
          downloadTestId="finance-export-download"
          failedTitle={t('exportFailed')}
          downloadLabel={t('downloadReady')}
          downloading={fetchFile.isPending}
          onDownload={() => fetchFile.mutate()}
        />
      )}
    </Space>
  );
}
