import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { Money } from '../../components/widgets';
import { formatMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { ReshareModal } from './reshare-modal';
import { AvailableOffer } from './shared';
import { PriceWithTrial } from './trial-tag';

/** My re-shares by the offer they re-share: only my own hop (my price to my buyers). */
function useMyReshares() {
  return useQuery({
    queryKey: ['offers', 'own', 'active', 'reshares'],
    queryFn: async () => {
      const page = await ok(api.GET('/v1/offers', { params: { query: { status: 'active', limit: 100 } } }));
      const byUpstream = new Map<string, { id: string; amount: number; currency: string }[]>();
      for (const offer of page.data) {
        if (!offer.upstreamOfferId) continue;
        const key = String(offer.upstreamOfferId);
        byUpstream.set(key, [...(byUpstream.get(key) ?? []), { id: offer.id, amount: offer.price.amount, currency: offer.price.currency }]);
      }
      return byUpstream;
    },
  });
}

/** Offers my suppliers make me: what I pay, what I may sell now, my re-share price; re-sharing one to my partners. */
export function ReceivedPage() {
  const t = useT(offersMessages);
  const { can } = useSession();
  const reshares = useMyReshares();
  const [resharing, setResharing] = useState<AvailableOffer | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <Typography.Title level={3}>{t('receivedTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('receivedHint')}</Typography.Paragraph>
      {done && <Alert type="success" showIcon closable={{ onClose: () => setDone(null) }} style={{ marginBottom: 16 }} title={done} data-testid="reshare-done" />}
      <CursorTable<AvailableOffer>
        queryKey={['offers', 'available']}
        fetchPage={(cursor) => ok(api.GET('/v1/available-offers', { params: { query: { status: 'active', cursor, limit: 50 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `received-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('emptyReceived')}
        emptyAction={
          <Link to="/network/partners">
            <Button>{t('emptyReceivedAction')}</Button>
          </Link>
        }
        columns={[
          { title: t('seller'), dataIndex: 'sellerName' },
          {
            title: t('sku'),
            key: 'sku',
            render: (_, row) => (
              <>
                <Typography.Text strong>{row.sku.code}</Typography.Text> · {row.sku.name}
              </>
            ),
          },
          { title: t('myPrice'), key: 'price', align: 'right', render: (_, row) => <PriceWithTrial offer={row} /> },
          { title: t('shippingFee'), key: 'shipping', align: 'right', render: (_, row) => <Money amount={row.shippingFee.amount} currency={row.shippingFee.currency} /> },
          { title: t('available'), key: 'available', align: 'right', render: (_, row) => (row.available === undefined ? '—' : t('units', { n: row.available })) },
          { title: t('returnWindow'), key: 'window', render: (_, row) => t('days', { n: row.returnWindowDays }) },
          {
            title: t('myReshare'),
            key: 'reshare',
            align: 'right',
            render: (_, row) => {
              const mine = reshares.data?.get(row.id);
              if (!mine?.length) return <Typography.Text type="secondary">{t('notReshared')}</Typography.Text>;
              return (
                <Space orientation="vertical" size={0} data-testid={`received-reshare-${row.id}`}>
                  {mine.map((offer) => (
                    <Link key={offer.id} to={`/offers/published/${offer.id}`}>
                      {formatMoney(offer.amount, offer.currency)}
                    </Link>
                  ))}
                </Space>
              );
            },
          },
          {
            title: '',
            key: 'actions',
            render: (_, row) =>
              can('offers:write') && (
                <Button size="small" onClick={() => setResharing(row)} data-testid={`received-reshare-button-${row.id}`}>
                  {t('reshareAction')}
                </Button>
              ),
          },
        ]}
      />
      <ReshareModal
        offer={resharing}
        onClose={() => setResharing(null)}
        onDone={(created) => {
          setResharing(null);
          setDone(t('reshared', { price: formatMoney(created.price.amount, created.price.currency) }));
        }}
      />
    </>
  );
}
