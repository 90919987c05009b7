import { Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { DateTime, Money } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { MadeToOrderTag } from './made-to-order-tag';
import { OwnOffer } from './shared';

/** The columns of my own offers: what my buyer pays me and, for re-shares, what I pay upstream (my own hop only). */
export function useOwnOfferColumns(partnerName: (id: string) => string): ColumnsType<OwnOffer> {
  const t = useT(offersMessages);
  return [
    {
      title: t('sku'),
      key: 'sku',
      render: (_, row) => (
        <Link to={`/offers/published/${row.id}`} data-testid={`offer-link-${row.id}`}>
          <Typography.Text strong>{row.sku.code}</Typography.Text> · {row.sku.name}
        </Link>
      ),
    },
    { title: t('buyer'), key: 'buyer', render: (_, row) => (row.buyerMerchantId ? partnerName(String(row.buyerMerchantId)) : t('allPartners')) },
    {
      title: t('kind'),
      key: 'kind',
      render: (_, row) => (
        <>
          <Tag color={row.kind === 'origin' ? 'blue' : 'purple'}>{t(row.kind)}</Tag>
          <MadeToOrderTag offer={row} />
        </>
      ),
    },
    { title: t('price'), key: 'price', align: 'right', render: (_, row) => <Money amount={row.price.amount} currency={row.price.currency} /> },
    { title: t('cost'), key: 'cost', align: 'right', render: (_, row) => (row.cost ? <Money amount={row.cost.amount} currency={row.cost.currency} /> : '—') },
    { title: t('shippingFee'), key: 'shipping', align: 'right', render: (_, row) => <Money amount={row.shippingFee.amount} currency={row.shippingFee.currency} /> },
    { title: t('returnWindow'), key: 'window', render: (_, row) => t('days', { n: row.returnWindowDays }) },
    { title: t('status'), key: 'status', render: (_, row) => <Tag color={row.status === 'active' ? 'success' : row.status === 'suspended' ? 'red' : 'default'}>{t(row.status)}</Tag> },
    { title: t('createdAt'), key: 'createdAt', render: (_, row) => <DateTime at={row.createdAt} /> },
  ];
}
