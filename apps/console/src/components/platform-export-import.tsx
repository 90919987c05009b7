import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n/i18n';
import { ApiErrorAlert } from './api-error';
import { platformExportMessages } from './platform-export-messages';

export type ExportPlatform = 'shopify' | 'woocommerce' | 'youzan';

/** One row of either report (catalog import or listing mapping). */
interface ReportRow {
  platformProductId: string;
  platformVariantId?: string | null;
  skuCode: string;
  outcome: string;
  reason?: string | null;
  message?: string | null;
}

export interface PlatformReport {
  products: number;
  rows: ReportRow[];
}

const PLATFORM_LABELS: Record<ExportPlatform, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', youzan: '有赞 Youzan' };
const OUTCOME_COLOR: Record<string, string> = { created: 'green', listed: 'green', updated: 'blue', unchanged: 'default', skipped: 'orange', unmatched: 'orange' };
type MessageKey = keyof (typeof platformExportMessages)['zh-CN'];

/**
 * The body `{"platform", "currency", "data": <the export as pasted>}` as text: the export goes to the api
 * exactly as the platform wrote it (a JS round trip would change ids above 2^53 and prices like 199.00).
 */
export function platformExportBody(platform: ExportPlatform, currency: string, exportText: string): string {
  return `{"platform":${JSON.stringify(platform)},"currency":${JSON.stringify(currency)},"data":${exportText}}`;
}

/**
 * Paste or choose a platform's product export, send it, and show the report: one row per variant with
 * what happened to it and why not. `fixedPlatform` when the target (a platform shop) decides it.
 */
export function PlatformExportImport({
  testId,
  fixedPlatform,
  submit,
  counts,
}: {
  testId: string;
  fixedPlatform?: ExportPlatform;
  submit: (body: string) => Promise<PlatformReport & Record<string, unknown>>;
  counts: string[];
}) {
  const t = useT(platformExportMessages);
  const [platform, setPlatform] = useState<ExportPlatform>(fixedPlatform ?? 'shopify');
  const [currency, setCurrency] = useState('CNY');
  const [exportText, setExportText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<(PlatformReport & Record<string, unknown>) | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setProblem(null);
    setError(null);
    if (exportText.trim() === '') return setProblem(t('empty'));
    try {
      JSON.parse(exportText);
    } catch (failure) {
      return setProblem(t('notJson', { reason: (failure as Error).message }));
    }
    setBusy(true);
    try {
      setReport(await submit(platformExportBody(fixedPlatform ?? platform, currency, exportText)));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Form layout="inline">
        <Form.Item label={t('platform')}>
          <Select
            value={fixedPlatform ?? platform}
            disabled={Boolean(fixedPlatform)}
            onChange={setPlatform}
            style={{ width: 160 }}
            options={Object.entries(PLATFORM_LABELS).map(([value, label]) => ({ value, label }))}
            data-testid={`${testId}-platform`}
          />
        </Form.Item>
        <Form.Item label={t('currency')}>
          <Select value={currency} onChange={setCurrency} style={{ width: 100 }} options={['CNY', 'USD', 'HKD', 'EUR'].map((value) => ({ value, label: value }))} data-testid={`${testId}-currency`} />
        </Form.Item>
        <Form.Item>
          <Upload
            accept=".json,application/json"
            showUploadList={false}
            beforeUpload={async (file) => {
              setExportText(await file.text());
              return false;
            }}
          >
            <Button>{t('chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('exportHelp')}</Typography.Text>
      <Input.TextArea value={exportText} onChange={(event) => setExportText(event.target.value)} rows={8} placeholder={t('exportText')} data-testid={`${testId}-text`} />
      {problem && <Alert type="warning" showIcon message={problem} data-testid={`${testId}-problem`} />}
      <ApiErrorAlert error={error} />
      <Button type="primary" onClick={() => void start()} loading={busy} data-testid={`${testId}-start`}>
        {t('start')}
      </Button>
      {report && <PlatformReportView testId={testId} report={report} counts={counts} />}
    </Space>
  );
}

/** The report: counts per outcome, and a row per variant with what happened and why not. */
function PlatformReportView({ testId, report, counts }: { testId: string; report: PlatformReport & Record<string, unknown>; counts: string[] }) {
  const t = useT(platformExportMessages);
  const reasonText = (row: ReportRow) => (row.reason ? (t(row.reason as MessageKey) ?? row.message) : '');
  return (
    <div data-testid={`${testId}-report`}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text>{t('summary', { products: report.products })}</Typography.Text>
        {counts.map((outcome) => (
          <Tag key={outcome} color={OUTCOME_COLOR[outcome]} data-testid={`${testId}-count-${outcome}`}>
            {`${t(outcome as MessageKey)} ${String(report[outcome] ?? 0)}`}
          </Tag>
        ))}
      </Space>
      <Table<ReportRow>
        size="small"
        rowKey={(row) => `${row.platformProductId}:${row.platformVariantId ?? ''}:${row.skuCode}:${row.outcome}`}
        dataSource={report.rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(row) => ({ 'data-testid': `${testId}-row-${row.skuCode || row.platformVariantId || row.platformProductId}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('skuCode'), dataIndex: 'skuCode', render: (code: string) => (code ? <Typography.Text code>{code}</Typography.Text> : '—') },
          { title: t('productId'), dataIndex: 'platformProductId' },
          { title: t('variantId'), dataIndex: 'platformVariantId', render: (id: string | null) => id ?? '—' },
          { title: t('outcome'), dataIndex: 'outcome', render: (outcome: string) => <Tag color={OUTCOME_COLOR[outcome]}>{t(outcome as MessageKey)}</Tag> },
          { title: t('reason'), render: (_, row) => reasonText(row) },
        ]}
      />
    </div>
  );
}
