import { Alert, Button, Progress, Space, Typography } from 'antd';

/** What the api says of a file the worker writes (statement exports, order-sheet exports). */
export interface ExportState {
  status: string;
  percent: number;
  fileName?: string | null;
  error?: string | null;
}

/**
 * A file the worker writes: its progress bar while it is written, then its name and a download
 * button (or why it failed). `testId` names the block (`data-status` says where it is),
 * `downloadTestId` its button.
 */
export function ExportProgress(props: {
  current: ExportState | undefined;
  testId: string;
  downloadTestId: string;
  failedTitle: string;
  downloadLabel: string;
  downloading: boolean;
  onDownload: () => void;
}) {
  const { current, testId } = props;
  return (
    <div data-testid={testId} data-status={current?.status ?? 'queued'}>
      <Progress percent={current?.percent ?? 0} format={(percent) => `${percent ?? 0}%`} status={current?.status === 'failed' ? 'exception' : current?.status === 'done' ? 'success' : 'active'} />
      {current?.status === 'failed' && <Alert type="error" showIcon title={props.failedTitle} description={current.error ?? undefined} />}
      {current?.status === 'done' && (
        <Space direction="vertical" size={4}>
          <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
            {current.fileName}
          </Typography.Text>
          <Button type="primary" ghost onClick={props.onDownload} loading={props.downloading} data-testid={props.downloadTestId}>
            {props.downloadLabel}
          </Button>
        </Space>
      )}
    </div>
  );
}
