import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, Form, Input, Row, Select, Space, Statistic, Upload } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, download, ok, Schemas, upload } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { Statement } from './finance-kit';
import { financeMessages } from './messages';
import { ReconciliationReport } from './reconciliation-report';

type Report = Schemas['ReconciliationReportResponseDto'];
type Mapping = Schemas['ReconciliationMappingDto'];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file as the api takes it: raw body, its type from the name when the browser gives none. */
function typedFile(file: File): File {
  if (file.type) return file;
  return new File([file], file.name, { type: file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX });
}

function useStatements() {
  return useQuery({
    queryKey: ['finance', 'statements', 'reconciliation'],
    queryFn: async () => {
      const [receivable, payable] = await Promise.all(
        (['receivable', 'payable'] as const).map((side) => ok(api.GET('/v1/statements', { params: { query: { side, limit: 100 } } })).then((page) => page.data)),
      );
      return [...receivable, ...payable];
    },
  });
}

/** The counterparty's column names: which hold the order number, SKU, amount and quantity. */
function MappingFields() {
  const t = useT(financeMessages);
  return (
    <Form.Item label={t('mapping')} style={{ marginBottom: 0 }}>
      <Space wrap>
        <Form.Item name="orderNumber" label={t('orderColumn')} rules={[{ required: true }]}>
          <Input data-testid="finance-recon-order-column" />
        </Form.Item>
        <Form.Item name="skuCode" label={t('skuColumn')}>
          <Input data-testid="finance-recon-sku-column" />
        </Form.Item>
        <Form.Item name="amount" label={t('amountColumn')} rules={[{ required: true }]}>
          <Input data-testid="finance-recon-amount-column" />
        </Form.Item>
        <Form.Item name="quantity" label={t('quantityColumn')}>
          <Input data-testid="finance-recon-quantity-column" />
        </Form.Item>
      </Space>
    </Form.Item>
  );
}

/** The match report's counts, and its download. */
function ReportSummary({ report, onDownload, downloading }: { report: Report; onDownload: () => void; downloading: boolean }) {
  const t = useT(financeMessages);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col span={6}>
          <div data-testid="finance-recon-matched">
            <Statistic title={t('matched')} value={report.summary.matched} />
          </div>
        </Col>
        <Col span={6}>
          <div data-testid="finance-recon-amountDiffers">
            <Statistic title={t('amountDiffers')} value={report.summary.amountDiffers} valueStyle={{ color: report.summary.amountDiffers ? '#cf1322' : undefined }} />
          </div>
        </Col>
        <Col span={6}>
          <div data-testid="finance-recon-onlyOurs">
            <Statistic title={t('onlyOurs')} value={report.summary.onlyOurs} />
          </div>
        </Col>
        <Col span={6}>
          <div data-testid="finance-recon-onlyTheirs">
            <Statistic title={t('onlyTheirs')} value={report.summary.onlyTheirs} />
          </div>
        </Col>
      </Row>
      <Button onClick={onDownload} loading={downloading} data-testid="finance-recon-download">
        {t('downloadReport')}
      </Button>
    </Space>
  );
}

/** Pick a statement, upload the counterparty's own statement with its column names, read the match report and download it. */
export function ReconciliationPage() {
  const t = useT(financeMessages);
  const { language } = useLanguage();
  const [params, setParams] = useSearchParams();
  const statementId = params.get('statementId') ?? undefined;
  const [form] = Form.useForm<Mapping & { save: boolean }>();
  const [report, setReport] = useState<Report | null>(null);
  const statements = useStatements();
  const chosen = statements.data?.find((statement) => statement.id === statementId);
  const counterpartyOf = (statement: Statement) => (statement.yourSide === 'receivable' ? statement.payer : statement.payee);
  const reconcile = useMutation({
    mutationFn: async (file: File) => {
      const { save, ...values } = form.getFieldsValue();
      const mapping = Object.fromEntries(Object.entries(values).filter(([, value]) => typeof value === 'string' && value.trim() !== '')) as unknown as Mapping;
      if (save && chosen) {
        await ok(api.PUT('/v1/settlement/reconciliation-mappings/{counterpartyMerchantId}', { params: { path: { counterpartyMerchantId: counterpartyOf(chosen).merchantId } }, body: mapping }));
      }
      // statementId comes from the query string: encoded, it cannot reach another path.
      return upload<Report>(`/v1/statements/${encodeURIComponent(statementId ?? '')}/reconciliations?mapping=${encodeURIComponent(JSON.stringify(mapping))}`, typedFile(file));
    },
    onMutate: () => setReport(null),
    onSuccess: setReport,
  });
  const fetchReport = useMutation({
    mutationFn: () => download(`/v1/reconciliations/${encodeURIComponent(report?.id ?? '')}/report.xlsx${language === 'en' ? '?language=en' : ''}`, 'report.xlsx'),
  });
  return (
    <Card title={t('reconTitle')}>
      <Row gutter={24}>
        <Col xs={24} xl={10}>
          <Form form={form} layout="vertical" initialValues={{ orderNumber: '订单号', skuCode: '商品编码', amount: '金额', quantity: '数量', save: false }}>
            <Form.Item label={t('pickStatement')}>
              <Select
                showSearch
                optionFilterProp="label"
                value={statementId}
                loading={statements.isLoading}
                onChange={(value: string) => {
                  setReport(null);
                  setParams({ statementId: value }, { replace: true });
                }}
                data-testid="finance-recon-statement"
                options={(statements.data ?? []).map((statement) => ({ value: statement.id, label: `${statement.period} · ${counterpartyOf(statement).name} · ${t(`status.${statement.status}`)}` }))}
              />
            </Form.Item>
            <MappingFields />
            <Form.Item name="save" valuePropName="checked">
              <Checkbox>{t('saveMapping')}</Checkbox>
            </Form.Item>
            <Upload
              accept=".xlsx,.csv"
              maxCount={1}
              showUploadList={false}
              disabled={!statementId}
              beforeUpload={(file) => {
                reconcile.mutate(file);
                return false;
              }}
            >
              <Button type="primary" disabled={!statementId} loading={reconcile.isPending} data-testid="finance-recon-upload">
                {t('uploadFile')}
              </Button>
            </Upload>
          </Form>
        </Col>
        <Col xs={24} xl={14}>
          <ApiErrorAlert error={statements.error ?? reconcile.error ?? fetchReport.error} />
          {report ? <ReportSummary report={report} onDownload={() => fetchReport.mutate()} downloading={fetchReport.isPending} /> : <EmptyState description={t('reconEmpty')} />}
        </Col>
      </Row>
      {report && <ReconciliationReport report={report} />}
    </Card>
  );
}
