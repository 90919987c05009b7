import { Alert, Tag } from 'antd';
import { useTimeZone } from '../../auth/session';
import { formatDateTime } from '../../format';
import { useLanguage, useT } from '../../i18n/i18n';
import { FULFILLMENT_STATUSES, FulfillmentStatus, RETURN_STATUSES, ReturnCase, ReturnStatus } from './labels';
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

/** 系统自动同意 on a case the supplier left undecided past its deadline; the deadline on one that still waits. */
export function ReturnDecisionTag({ returnCase }: { returnCase: Pick<ReturnCase, 'decidedBy' | 'decideBy' | 'status'> }) {
  const t = useT(warehouseMessages);
  const timeZone = useTimeZone();
  if (returnCase.decidedBy === 'auto') {
    return (
      <Tag color="orange" title={t('autoApprovedExplain')} data-testid="return-auto-approved">
        {t('autoApproved')}
      </Tag>
    );
  }
  if (returnCase.status === 'pending_approval' && returnCase.decideBy) {
    return (
      <Tag color="gold" data-testid="return-decide-by">
        {t('decideByTag', { at: formatDateTime(returnCase.decideBy, timeZone) })}
      </Tag>
    );
  }
  return null;
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
