import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { Statement, StatementStatusTag, textOf, Yuan } from './finance-kit';
import { financeMessages } from './messages';
import { StatementActions } from './statement-actions';
import { StatementEntries } from './statement-entries';
import { StatementExport } from './statement-export';

/** The figures exactly as the api gives them (live while the month is open, frozen once closed). */
function Totals({ statement }: { statement: Statement }) {
  const t = useT(financeMessages);
  const figure = (key: 'openingBalance' | 'goods' | 'shipping' | 'refunds' | 'adjustments' | 'payments' | 'due' | 'closingBalance' | 'paid' | 'outstanding') => ({
    key,
    label: t(key),
    children: <Yuan value={statement[key]} testId={`finance-statement-${key}`} />,
  });
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2, xl: 4 }}
      items={[
        figure('openingBalance'),
        figure('goods'),
        figure('shipping'),
        figure('refunds'),
        figure('adjustments'),
        figure('payments'),
        figure('due'),
        {
          key: 'closing',
          label: <Typography.Text strong>{t('closingBalance')}</Typography.Text>,
          children: (
            <Typography.Text strong style={{ fontSize: 16 }}>
              <Yuan value={statement.closingBalance} testId="finance-statement-total" />
            </Typography.Text>
          ),
        },
        figure('paid'),
        figure('outstanding'),
      ]}
    />
  );
}

/** The statement's moves as the api stamps them. */
function History({ statement }: { statement: Statement }) {
  const t = useT(financeMessages);
  const events = (
    [
      ['issuedEvent', statement.issuedAt],
      ['disputedEvent', statement.disputedAt],
      ['confirmedEvent', statement.confirmedAt],
      ['settledEvent', statement.settledAt],
    ] as const
  )
    .filter(([, at]) => at)
    .map(([key, at]) => ({ key, at: String(at) }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Timeline
      data-testid="finance-statement-history"
      items={[
        { key: 'created', children: t('createdEvent', { period: statement.period }) },
        ...events.map((event) => ({
          key: event.key,
          color: event.key === 'disputedEvent' ? 'red' : event.key === 'settledEvent' ? 'green' : 'blue',
          children: (
            <Space>
              {t(event.key)}
              <DateTime at={event.at} />
            </Space>
          ),
        })),
      ]}
    />
  );
}

export function StatementPage() {
  const t = useT(financeMessages);
  const { statementId = '' } = useParams();
  const query = useQuery({ queryKey: ['finance', 'statement', statementId], queryFn: () => ok(api.GET('/v1/statements/{statementId}', { params: { path: { statementId } } })) });
  const statement = query.data;
  if (!statement) return query.error ? <ApiErrorAlert error={query.error} /> : <Spin />;
  const counterparty = statement.yourSide === 'receivable' ? statement.payer : statement.payee;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {t('statementTitle', { period: statement.period })}
            <Typography.Text data-testid="finance-statement-counterparty">{counterparty.name}</Typography.Text>
            <StatementStatusTag status={statement.status} testId="finance-statement-status" />
            {statement.revision > 0 && <Tag>{t('revision', { n: statement.revision })}</Tag>}
            <Tag color={statement.frozen ? 'default' : 'gold'}>{statement.frozen ? t('frozen') : t('live')}</Tag>
          </Space>
        }
        extra={<Typography.Text type="secondary">{t(`side.${statement.yourSide}`)}</Typography.Text>}
      >
        <Descriptions
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            { key: 'payee', label: t('payee'), children: statement.payee.name },
            { key: 'payer', label: t('payer'), children: statement.payer.name },
            { key: 'currency', label: t('currency'), children: textOf(statement.currency) },
          ]}
        />
        <Totals statement={statement} />
        <div style={{ marginTop: 16 }}>
          <StatementActions statement={statement} />
        </div>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={18}>
          <Card title={t('entries')}>
            <StatementEntries statementId={statement.id} />
          </Card>
        </Col>
        <Col xs={24} xl={6}>
          <Card title={t('history')} style={{ marginBottom: 16 }}>
            <History statement={statement} />
          </Card>
          <Card title={t('export')}>
            <StatementExport statementId={statement.id} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
