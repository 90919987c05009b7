import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, download, ok } from '../../api/client';
import { ExportProgress } from '../../components/export-progress';
import { useLanguage, useT } from '../../i18n/i18n';
import { FulfillmentStatus } from './labels';
import { warehouseMessages } from './messages';

/** The inbox's filters, as the api takes them. */
export interface OrderSheetFilters {
  status?: FulfillmentStatus;
  warehouseId?: string;
  createdFrom?: string;
  createdTo?: string;
}

/**
 * 下载发货单: the worker writes the sheet of the filtered orders (any size; shipped orders when no
 * status is chosen, as the api's sheet defaults), the page follows its
 * progress and downloads the file as soon as it is done (and offers it again). `start` asks for it;
 * `panel` is the progress bar and the download, to show under the filters.
 */
export function useOrderSheetExport(filters: OrderSheetFilters) {
  const t = useT(warehouseMessages);
  const { language } = useLanguage();
  const [exportId, setExportId] = useState<string | null>(null);
  const fetchFile = useMutation({
    mutationFn: (file: { downloadUrl: string; fileName: string }) => download(file.downloadUrl, file.fileName),
  });
  const request = useMutation({
    mutationFn: () => ok(api.POST('/v1/fulfillment-orders/exports', { body: { ...filters, status: filters.status ?? 'shipped', language: language === 'en' ? 'en' : 'zh-CN' } })),
    onSuccess: (requested) => setExportId(requested.id),
  });
  const progress = useQuery({
    queryKey: ['warehouse', 'order-sheet-export', exportId],
    enabled: exportId !== null,
    queryFn: () => ok(api.GET('/v1/fulfillment-order-exports/{orderSheetExportId}', { params: { path: { orderSheetExportId: exportId ?? '' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : 500),
  });
  const current = progress.data;
  // Done: the file downloads at once, once per export (a refetch — the tab regaining focus — downloads nothing again; the button offers it again).
  const downloaded = useRef<string | null>(null);
  const { mutate: fetchOnce } = fetchFile;
  useEffect(() => {
    if (current?.status !== 'done' || !current.downloadUrl || current.id !== exportId || downloaded.current === current.id) return;
    downloaded.current = current.id;
    fetchOnce({ downloadUrl: current.downloadUrl, fileName: current.fileName ?? 'fulfillment-orders.xlsx' });
  }, [current, exportId, fetchOnce]);
  const busy = request.isPending || (exportId !== null && current?.status !== 'done' && current?.status !== 'failed');
  const panel = exportId && (
    <ExportProgress
      current={current}
      testId="inbox-export-progress"
      downloadTestId="inbox-export-download"
      failedTitle={t('sheetExportFailed')}
      downloadLabel={t('sheetExportReady')}
      downloading={fetchFile.isPending}
      onDownload={() => current?.downloadUrl && fetchFile.mutate({ downloadUrl: current.downloadUrl, fileName: current.fileName ?? 'fulfillment-orders.xlsx' })}
    />
  );
  return { start: () => request.mutate(), busy, panel, error: request.error ?? progress.error ?? fetchFile.error };
}
