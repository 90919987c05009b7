import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Progress, Radio, Row, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { ReactNode, useEffect, useState } from 'react';
import { api, download, idempotencyKey, ok, Schemas, uploadForm } from '../api/client';
import { useLanguage, useT } from '../i18n/i18n';
import { ApiErrorAlert } from './api-error';
import { commonMessages } from './common-messages';
import { sheetImportMessages } from './sheet-import-messages';
import { DateTime } from './widgets';

export type SheetImport = Schemas['SheetImportResponseDto'];
export type SheetImportKind = SheetImport['kind'];

const STATUS_COLORS: Record<SheetImport['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

/** An upload's status while the worker applies it: polled every second until it is done or failed. */
function useImport(importId: string | null) {
  return useQuery({
    queryKey: ['imports', importId],
    enabled: importId !== null,
    queryFn: () => ok(api.GET('/v1/imports/{importId}', { params: { path: { importId: importId! } } })),
    refetchInterval: (query) => (query.state.data && ['done', 'failed'].includes(query.state.data.status) ? false : 1000),
  });
}

/** The counts of a finished upload, the rejected rows to download, or why the file could not be used. */
export function SheetImportResult({ result, testId }: { result: SheetImport; testId: string }) {
  const t = useT(sheetImportMessages);
  const fetchRejected = useMutation({ mutationFn: () => download(result.rejectedFileUrl ?? '', 'rejected.xlsx') });
  const statusText = t(result.status);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`${testId}-result`}>
      <Space>
        <Tag color={STATUS_COLORS[result.status]} data-testid={`${testId}-status`}>
          {statusText}
        </Tag>
        <Typography.Text type="secondary">{result.fileName}</Typography.Text>
      </Space>
      {(result.status === 'queued' || result.status === 'running') && <Progress percent={result.progress.percent} data-testid={`${testId}-progress`} />}
      {result.error && (
        <Alert
          type="error"
          showIcon
          data-testid={`${testId}-file-error`}
          title={t('fileProblem')}
          description={
            <>
              <div>{result.error.message}</div>
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {result.error.details.map((detail, index) => (
                  <li key={index}>{`${detail.field}: ${detail.reason}`}</li>
                ))}
              </ul>
            </>
          }
        />
      )}
      {result.status === 'done' && (
        <>
          <Row gutter={16}>
            {(['applied', 'unchanged', 'rejected'] as const).map((count) => (
              <Col span={8} key={count}>
                <div data-testid={`${testId}-${count}`}>
                  <Statistic title={t(count)} value={result[count] ?? 0} valueStyle={count === 'rejected' && result.rejected ? { color: '#cf1322' } : undefined} />
                </div>
              </Col>
            ))}
          </Row>
          {result.mode === 'all_or_nothing' && (result.rejected ?? 0) > 0 && <Alert type="warning" showIcon title={t('nothingApplied')} data-testid={`${testId}-nothing-applied`} />}
          {result.ignoredSheets.length > 0 && <Alert type="info" showIcon title={t('ignoredSheets', { names: result.ignoredSheets.join('、') })} />}
          {result.rejectedFileUrl && (
            <Space>
              <Button onClick={() => fetchRejected.mutate()} loading={fetchRejected.isPending} data-testid={`${testId}-download-rejected`}>
                {t('downloadRejected')}
              </Button>
              <Typography.Text type="secondary">{t('rejectedHint')}</Typography.Text>
            </Space>
          )}
          {result.filesPrunedAt && (result.rejected ?? 0) > 0 && <Alert type="info" showIcon title={t('filesPruned')} data-testid={`${testId}-files-pruned`} />}
          <ApiErrorAlert error={fetchRejected.error} />
        </>
      )}
    </Space>
  );
}

/** This merchant's recent uploads of one kind. */
function ImportHistory({ kind, testId }: { kind: SheetImportKind; testId: string }) {
  const t = useT(sheetImportMessages);
  const common = useT(commonMessages);
  const history = useQuery({ queryKey: ['imports', 'list', kind], queryFn: () => ok(api.GET('/v1/imports', { params: { query: { kind, limit: 10 } } })), refetchInterval: 5000 });
  return (
    <Table<SheetImport>
      size="small"
      rowKey="id"
      data-testid={`${testId}-history`}
      loading={history.isLoading}
      dataSource={history.data?.data ?? []}
      pagination={false}
      title={() => t('history')}
      columns={[
        { title: common('createdAt'), dataIndex: 'createdAt', render: (at: string) => <DateTime at={at} /> },
        { title: t('fileName'), dataIndex: 'fileName' },
        { title: common('status'), dataIndex: 'status', render: (status: SheetImport['status']) => <Tag color={STATUS_COLORS[status]}>{t(status)}</Tag> },
        { title: t('applied'), dataIndex: 'applied' },
        { title: t('unchanged'), dataIndex: 'unchanged' },
        { title: t('rejected'), dataIndex: 'rejected' },
      ]}
    />
  );
}

/**
 * A spreadsheet upload of one kind: the template to fill in, the mode, the file, then the worker's
 * progress, the counts and the rejected rows with their reasons (to fix and upload again).
 * `fields` are the kind's own form fields (bulk orders: shopId); `ready` false keeps the button off.
 */
export function SheetImportPanel(props: { kind: SheetImportKind; testId: string; fields?: Record<string, string>; ready?: boolean; extra?: ReactNode }) {
  const { kind, testId, fields = {}, ready = true } = props;
  const t = useT(sheetImportMessages);
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<SheetImport['mode']>('all_or_nothing');
  const [importId, setImportId] = useState<string | null>(null);
  const [key, setKey] = useState(idempotencyKey);
  const current = useImport(importId);
  const finished = current.data && ['done', 'failed'].includes(current.data.status) ? current.data.id : null;
  // The list below shows it finished too, at once.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ['imports', 'list', kind] });
  }, [finished, kind, queryClient]);
  const template = useMutation({ mutationFn: () => download(`/v1/import-templates/${kind}?language=${language}`, `${kind}.xlsx`) });
  const start = useMutation({
    mutationFn: () => uploadForm<SheetImport>(`/v1/imports?kind=${kind}`, file!, { ...fields, mode, language }, { 'idempotency-key': key }),
    onSuccess: (created) => {
      setImportId(created.id);
      setKey(idempotencyKey());
      queryClient.setQueryData(['imports', created.id], created);
      void queryClient.invalidateQueries({ queryKey: ['imports', 'list', kind] });
    },
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid={testId}>
      <Space wrap>
        <Button onClick={() => template.mutate()} loading={template.isPending} data-testid={`${testId}-template`}>
          {t('template')}
        </Button>
        {props.extra}
      </Space>
      <Typography.Text type="secondary">{t('limit')}</Typography.Text>
      <Radio.Group value={mode} onChange={(event) => setMode(event.target.value as SheetImport['mode'])} data-testid={`${testId}-mode`}>
        <Radio value="all_or_nothing">{t('allOrNothing')}</Radio>
        <Radio value="valid_rows" data-testid={`${testId}-mode-valid-rows`}>
          {t('validRows')}
        </Radio>
      </Radio.Group>
      <Upload.Dragger
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        maxCount={1}
        beforeUpload={(chosen) => {
          setFile(chosen);
          return false;
        }}
        onRemove={() => setFile(null)}
        data-testid={`${testId}-file`}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{t('chooseFile')}</p>
      </Upload.Dragger>
      <Button type="primary" disabled={!file || !ready} loading={start.isPending} onClick={() => start.mutate()} data-testid={`${testId}-start`}>
        {t('start')}
      </Button>
      <ApiErrorAlert error={start.error ?? template.error} />
      {current.data && <SheetImportResult result={current.data} testId={testId} />}
      <ImportHistory kind={kind} testId={testId} />
    </Space>
  );
}
