import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, message, Modal, Radio, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, Money } from '../../components/widgets';
import { parseMoney } from '../../format';
import { text, useDistributorT, useShops } from './hooks';
import { LISTING_STATUS } from './labels';
import { Availability } from './availability';

type Listing = Schemas['ListingResponseDto'];

function EditListingModal({ listing, onClose }: { listing: Listing | null; onClose: () => void }) {
  const { t, label } = useDistributorT();
  const queries = useQueryClient();
  const [form] = Form.useForm<{ retailPrice: string; status: 'active' | 'paused' }>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const save = useMutation({
    mutationFn: (values: { retailPrice: string; status: 'active' | 'paused' }) =>
      ok(
        api.PATCH('/v1/listings/{listingId}', {
          params: { path: { listingId: listing!.id } },
          body: { retailPrice: { amount: parseMoney(values.retailPrice)!, currency: listing!.retailPrice.currency }, status: values.status },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['distributor', 'listings'] });
      onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  if (!listing) return null;
  return (
    <Modal
      open
      title={t('editTitle', { code: listing.shopSkuCode })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'distributor-listing-save' }}
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ retailPrice: (listing.retailPrice.amount / 100).toFixed(2), status: listing.status === 'paused' ? 'paused' : 'active' }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="retailPrice"
          label={t('listRetail')}
          rules={[{ required: true, validator: async (_, value: string) => (parseMoney(value ?? '') !== null ? undefined : Promise.reject(new Error(t('listRetailInvalid')))) }]}
        >
          <Input prefix="¥" inputMode="decimal" data-testid="distributor-listing-edit-price" />
        </Form.Item>
        <Form.Item name="status" label={t('listingStatus')}>
          <Radio.Group options={(['active', 'paused'] as const).map((status) => ({ value: status, label: label(LISTING_STATUS, status) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The distributor's listings, what each may sell now, change and remove. */
export function ListingsTable() {
  const { t, label } = useDistributorT();
  const shops = useShops();
  const queries = useQueryClient();
  const [editing, setEditing] = useState<Listing | null>(null);
  const availability = useQuery({
    queryKey: ['distributor', 'listings', 'availability'],
    queryFn: () => ok(api.GET('/v1/listing-availability', { params: { query: { limit: 100 } } })),
    refetchInterval: 5000,
  });
  const offers = useQuery({ queryKey: ['distributor', 'offers', 'names'], queryFn: () => ok(api.GET('/v1/available-offers', { params: { query: { limit: 100 } } })) });
  const remove = useMutation({
    mutationFn: (listingId: string) => ok(api.DELETE('/v1/listings/{listingId}', { params: { path: { listingId } } })),
    onSuccess: async () => {
      void message.success(t('removed'));
      await queries.invalidateQueries({ queryKey: ['distributor', 'listings'] });
    },
  });
  const availableOf = (id: string) => availability.data?.data.find((entry) => entry.listingId === id);
  return (
    <Card title={t('listingsTitle')}>
      <ApiErrorAlert error={remove.error} />
      <CursorTable<Listing>
        queryKey={['distributor', 'listings']}
        fetchPage={(cursor) => ok(api.GET('/v1/listings', { params: { query: { cursor, limit: 20 } } }))}
        rowKey="id"
        onRow={(listing) => ({ 'data-testid': `distributor-listing-row-${listing.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={t('listingsEmpty')}
        columns={[
          { title: t('shop'), render: (_, listing) => shops.data?.data.find((shop) => shop.id === listing.shopId)?.name ?? listing.shopId },
          { title: t('skuCode'), dataIndex: 'shopSkuCode' },
          { title: t('offerSku'), render: (_, listing) => offers.data?.data.find((offer) => offer.id === text(listing.offerId))?.sku.name ?? '—' },
          { title: t('retailPrice'), align: 'right', render: (_, listing) => <Money amount={listing.retailPrice.amount} currency={listing.retailPrice.currency} /> },
          { title: t('price'), align: 'right', render: (_, listing) => (listing.supplyPrice ? <Money amount={listing.supplyPrice.amount} currency={listing.supplyPrice.currency} /> : '—') },
          {
            title: t('listingStatus'),
            render: (_, listing) => (
              <Tag color={listing.status === 'active' ? 'green' : listing.delistingId ? 'red' : 'default'}>
                {label(LISTING_STATUS, listing.delistingId && listing.status === 'paused' ? 'delisted' : listing.status)}
              </Tag>
            ),
          },
          {
            title: t('available'),
            align: 'right',
            render: (_, listing) => <Availability available={availableOf(listing.id)?.available} soldOut={availableOf(listing.id)?.soldOut} testId={`distributor-listing-available-${listing.id}`} />,
          },
          {
            title: '',
            align: 'right',
            render: (_, listing) => (
              <Space>
                <Button size="small" onClick={() => setEditing(listing)} data-testid={`distributor-listing-edit-${listing.id}`}>
                  {t('edit')}
                </Button>
                <ConfirmButton title={t('removeConfirm')} danger onConfirm={() => remove.mutate(listing.id)} testId={`distributor-listing-remove-${listing.id}`}>
                  {t('remove')}
                </ConfirmButton>
              </Space>
            ),
          },
        ]}
      />
      <EditListingModal key={editing?.id ?? 'none'} listing={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}
