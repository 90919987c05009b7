import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { Money } from '../../components/widgets';
import { useDistributorT } from './hooks';
import { AvailableOffer, ListOfferModal } from './list-offer-modal';
import { Availability } from './availability';
import { ListingsTable } from './listings-table';
import { PriceWithTrial } from '../offers/trial-tag';

/** The selection center: offers available to the distributor, with the price it pays and what it may sell now; list one into a shop; its listings. */
export function SelectionPage() {
  const { t } = useDistributorT();
  const session = useSession();
  const [listing, setListing] = useState<AvailableOffer | null>(null);
  const canList = session.can('shops:manage');
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('selectionTitle')}>
        <CursorTable<AvailableOffer>
          queryKey={['distributor', 'offers']}
          fetchPage={(cursor) => ok(api.GET('/v1/available-offers', { params: { query: { status: 'active', cursor, limit: 20 } } }))}
          rowKey="id"
          onRow={(offer) => ({ 'data-testid': `distributor-offer-row-${offer.id}` }) as React.HTMLAttributes<HTMLElement>}
          empty={t('offersEmpty')}
          columns={[
            {
              title: t('offerSku'),
              render: (_, offer) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{offer.sku.name}</Typography.Text>
                  <Typography.Text type="secondary">{offer.sku.code}</Typography.Text>
                </Space>
              ),
            },
            { title: t('seller'), dataIndex: 'sellerName' },
            { title: t('price'), align: 'right', render: (_, offer) => <PriceWithTrial offer={offer} /> },
            { title: t('shippingFee'), align: 'right', render: (_, offer) => <Money amount={offer.shippingFee.amount} currency={offer.shippingFee.currency} /> },
            { title: t('returnWindow'), align: 'right', render: (_, offer) => t('days', { n: offer.returnWindowDays }) },
            { title: t('available'), align: 'right', render: (_, offer) => <Availability available={offer.available} testId={`distributor-offer-available-${offer.id}`} /> },
            {
              title: '',
              align: 'right',
              render: (_, offer) =>
                canList && (
                  <Button type="primary" size="small" onClick={() => setListing(offer)} data-testid={`distributor-list-offer-${offer.id}`}>
                    {t('listIntoShop')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      {canList && <ListingsTable />}
      <ListOfferModal offer={listing} onClose={() => setListing(null)} />
    </Space>
  );
}
