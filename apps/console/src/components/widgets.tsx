import { Button, Empty, Modal, Popconfirm, Space, Typography } from 'antd';
import { ReactNode, useState } from 'react';
import { useTimeZone } from '../auth/session';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { useT } from '../i18n/i18n';
import { commonMessages } from './common-messages';

/** ¥1,234.56 from minor units. */
export function Money({ amount, currency = 'CNY' }: { amount: number | null | undefined; currency?: string }) {
  return <span className="gx-money">{formatMoney(amount, currency)}</span>;
}

/** A time in the merchant's time zone. */
export function DateTime({ at, dateOnly }: { at: string | null | undefined; dateOnly?: boolean }) {
  const timeZone = useTimeZone();
  return <span title={at ?? undefined}>{dateOnly ? formatDate(at, timeZone) : formatDateTime(at, timeZone)}</span>;
}

/** An empty list that says what to do next. */
export function EmptyState({ description, action }: { description: ReactNode; action?: ReactNode }) {
  return (
    <Empty description={description} data-testid="empty-state">
      {action}
    </Empty>
  );
}

/** A button that asks before doing anything irreversible. */
export function ConfirmButton(props: {
  title?: ReactNode;
  onConfirm: () => unknown;
  children: ReactNode;
  danger?: boolean;
  type?: 'primary' | 'default' | 'link';
  loading?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  const t = useT(commonMessages);
  return (
    <Popconfirm title={props.title ?? t('irreversible')} okText={t('confirm')} cancelText={t('cancel')} onConfirm={() => props.onConfirm()} disabled={props.disabled}>
      <Button danger={props.danger} type={props.type} loading={props.loading} disabled={props.disabled} data-testid={props.testId}>
        {props.children}
      </Button>
    </Popconfirm>
  );
}

/** A secret shown once (API key, webhook secret), with a copy button; it is not kept anywhere. */
export function ShownOnce({ title, secret, onClose }: { title: ReactNode; secret: string | null; onClose: () => void }) {
  const t = useT(commonMessages);
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('close')}
        </Button>
      }
    >
      <Typography.Paragraph type="warning">{t('shownOnce')}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Typography.Text code copyable={false} data-testid="shown-once-secret" style={{ wordBreak: 'break-all', flex: 1 }}>
          {secret}
        </Typography.Text>
        <Button
          onClick={() => {
            void navigator.clipboard?.writeText(secret ?? '').then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
