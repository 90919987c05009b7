import { Button, Card, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { ProductModal, SkuModal, WarehouseModal } from './catalog-forms';
import { Product, Warehouse } from './data';
import { warehouseMessages } from './messages';

function Products() {
  const t = useT(warehouseMessages);
  const canWrite = useSession().can('catalog:write');
  const [creating, setCreating] = useState(false);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  return (
    <Card
      title={t('productsTitle')}
      extra={
        canWrite && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="catalog-new-product">
            {t('newProduct')}
          </Button>
        )
      }
    >
      <CursorTable<Product>
        rowKey="id"
        queryKey={['warehouse', 'products']}
        fetchPage={(cursor) => ok(api.GET('/v1/products', { params: { query: { cursor, limit: 50 } } }))}
        empty={t('productsEmpty')}
        columns={[
          { title: t('productName'), dataIndex: 'name' },
          {
            title: t('skus'),
            key: 'skus',
            render: (_, product) => (
              <Space size={[4, 4]} wrap>
                {product.skus.map((sku) => (
                  <Tag key={sku.id} title={sku.name}>
                    {sku.code} · {sku.name}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: t('createdAt'), key: 'createdAt', render: (_, product) => <DateTime at={product.createdAt} /> },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, product) =>
              canWrite && (
                <Button size="small" onClick={() => setAddingTo(product.id)}>
                  {t('addSku')}
                </Button>
              ),
          },
        ]}
      />
      <ProductModal open={creating} onClose={() => setCreating(false)} />
      <SkuModal productId={addingTo} onClose={() => setAddingTo(null)} />
    </Card>
  );
}

function Warehouses() {
  const t = useT(warehouseMessages);
  const canWrite = useSession().can('catalog:write');
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title={t('warehousesTitle')}
      style={{ marginTop: 16 }}
      extra={
        canWrite && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="catalog-new-warehouse">
            {t('newWarehouse')}
          </Button>
        )
      }
    >
      <CursorTable<Warehouse>
        rowKey="id"
        queryKey={['warehouse', 'warehouses']}
        fetchPage={(cursor) => ok(api.GET('/v1/warehouses', { params: { query: { cursor, limit: 50 } } }))}
        empty={t('warehousesEmpty')}
        columns={[
          { title: t('warehouseName'), dataIndex: 'name' },
          { title: t('warehouseCode'), dataIndex: 'code' },
          { title: t('province'), key: 'province', render: (_, warehouse) => [warehouse.province, warehouse.city].filter(Boolean).join(' ') },
          { title: t('priority'), dataIndex: 'priority' },
          { title: t('receiveMode'), key: 'receiveMode', render: (_, warehouse) => (warehouse.receiveMode === 'inbox' ? t('receiveInbox') : t('receiveErp')) },
        ]}
      />
      <WarehouseModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

/** Products with their SKUs, and the warehouses they ship from. */
export function CatalogPage() {
  return (
    <>
      <Products />
      <Warehouses />
    </>
  );
}
