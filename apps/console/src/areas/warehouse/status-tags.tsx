import { Alert, Tag } from 'antd';
import { useLanguage, useT } from '../../i18n/i18n';
import { FULFILLMENT_STATUSES, FulfillmentStatus, RETURN_STATUSES, ReturnStatus } from './labels';
import { warehouseMessages } from './messages';

export function FulfillmentStatusTag({ status }: { status: FulfillmentStatus }) {
  const { language } = useLanguage();
  const found = FULFILLMENT_STATUSES.find((item) => item.value === status);
  return <Tag color={found?.color}>{found?.label[language] ?? status}</Tag>;
}

export function ReturnStatusTag({ status }: { status: ReturnStatus }) {
  const { language } = useLanguage();
  const found = RETURN_STATUSES.find((item) => item.value === status);
  return (
    <Tag color={found?.color} data-testid="return-status">
      {found?.label[language] ?? status}
    </Tag>
  );
}

/** "已取消 请勿发货": on a cancelled order's row. */
export function CancelledTag() {
  const t = useT(warehouseMessages);
  return (
    <Tag color="red" data-testid="cancelled-tag">
      {t('cancelledDoNotShip')}
    </Tag>
  );
}

/** The red banner on a cancelled order's page. */
export function CancelledBanner() {
  const t = useT(warehouseMessages);
  return <Alert type="error" showIcon banner data-testid="order-cancelled-banner" title={t('cancelledDoNotShip')} description={t('cancelledExplain')} style={{ marginBottom: 16 }} />;
}
