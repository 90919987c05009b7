import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { DateTime, Money } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { useCarriers } from '../../components/carriers';
import { RETURN_KINDS, RETURN_ORIGINS, ReturnCase } from './labels';
import { warehouseMessages } from './messages';
import { ReturnActions } from './return-actions';
import { ReturnDecisionTag, ReturnStatusTag } from './status-tags';

interface ReturnParcel {
  carrierCode?: string;
  trackingNumber?: string;
}
interface Receipt {
  restocked?: boolean;
  restockedUnits?: number;
  note?: string | null;
  receivedAt?: string;
}

function ReturnSummary({ returnCase }: { returnCase: ReturnCase }) {
  const t = useT(warehouseMessages);
  const { language } = useLanguage();
  const { nameOf } = useCarriers();
  const parcel = returnCase.returnShipment as ReturnParcel | null | undefined;
  const receipt = returnCase.receipt as Receipt | null | undefined;
  const { money } = returnCase;
  return (
    <Descriptions bordered size="small" column={2}>
      <Descriptions.Item label={t('status')}>
        <ReturnStatusTag status={returnCase.status} />
        <ReturnDecisionTag returnCase={returnCase} />
      </Descriptions.Item>
      <Descriptions.Item label={t('returnKind')}>
        {RETURN_KINDS[returnCase.kind][language]} · {RETURN_ORIGINS[returnCase.origin][language]}
      </Descriptions.Item>
      <Descriptions.Item label={t('returnReason')}>{returnCase.reason}</Descriptions.Item>
      <Descriptions.Item label={t('window')}>{returnCase.withinWindow ? t('insideWindow') : t('outsideWindow')}</Descriptions.Item>
      <Descriptions.Item label={t('paidByBuyer')}>
        <Money amount={money.paidByBuyer?.amount} currency={money.paidByBuyer?.currency} />
      </Descriptions.Item>
      <Descriptions.Item label={t('refundedByYou')}>
        <span data-testid="return-refunded">{money.refundedByYou ? <Money amount={money.refundedByYou.amount} currency={money.refundedByYou.currency} /> : t('notYet')}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('returnParcel')}>{parcel?.trackingNumber ? `${nameOf(parcel.carrierCode)} ${parcel.trackingNumber}` : t('notYet')}</Descriptions.Item>
      <Descriptions.Item label={t('receipt')}>
        {receipt ? (receipt.restocked ? `${t('restockedUnits')} ${receipt.restockedUnits ?? ''}` : t('restockNo')) + (receipt.note ? ` · ${receipt.note}` : '') : t('notYet')}
      </Descriptions.Item>
      {returnCase.status === 'pending_approval' && returnCase.decideBy && (
        <Descriptions.Item label={t('decideBy')}>
          <DateTime at={returnCase.decideBy} />
        </Descriptions.Item>
      )}
      {returnCase.decisionReason && <Descriptions.Item label={t('decisionReason')}>{String(returnCase.decisionReason)}</Descriptions.Item>}
      <Descriptions.Item label={t('createdAt')}>
        <DateTime at={returnCase.createdAt} />
      </Descriptions.Item>
    </Descriptions>
  );
}

/** One return case, with what the supplier may do next. */
export function ReturnPage() {
  const t = useT(warehouseMessages);
  const { returnId = '' } = useParams();
  const session = useSession();
  const query = useQuery({ queryKey: ['warehouse', 'return', returnId], queryFn: () => ok(api.GET('/v1/returns/{returnId}', { params: { path: { returnId } } })), refetchInterval: 5000 });
  const returnCase = query.data;
  if (!returnCase) return <Card loading={query.isLoading}>{query.error ? <ApiErrorAlert error={query.error} /> : null}</Card>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title={
          <Space>
            <Link to="/warehouse/returns">{t('backToReturns')}</Link>
            <span>{t('returnTitle', { id: returnCase.id })}</span>
          </Space>
        }
      >
        <ReturnSummary returnCase={returnCase} />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('lines')}
        </Typography.Title>
        <Table
          rowKey={(line) => `${line.skuId}-${line.fulfillmentOrderLineId ?? ''}`}
          size="small"
          pagination={false}
          dataSource={returnCase.lines}
          columns={[
            { title: t('skuCode'), dataIndex: 'skuCode' },
            { title: t('skuName'), dataIndex: 'skuName' },
            { title: t('quantity'), dataIndex: 'quantity' },
            ...(returnCase.receipt ? [{ title: t('restockedUnits'), dataIndex: 'restockedQuantity' }] : []),
            { title: t('orderNo'), key: 'order', render: (_, line) => (line.fulfillmentOrderId ? <Link to={`/warehouse/inbox/${line.fulfillmentOrderId}`}>{line.fulfillmentOrderId}</Link> : '—') },
          ]}
        />
      </Card>
      <ReturnActions returnCase={returnCase} can={(permission) => session.can(permission)} />
    </Space>
  );
}
