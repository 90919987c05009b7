import { EditOutlined } from '@ant-design/icons';
import { Button, Card, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { DateTime } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { ProductModal, SkuEditModal, SkuModal, WarehouseModal } from './catalog-forms';
import { PlatformImportModal } from './platform-import';
import { Product, Sku, Warehouse } from './data';
import { warehouseMessages } from './messages';

/** 规格 as the order sheet shows it: the SKU's spec, else its specs' values joined (by specification name). */
export function skuSpecText(sku: Pick<Sku, 'spec' | 'specs'>): string {
  if (sku.spec) return sku.spec;
  return Object.entries(sku.specs ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => value)
    .join(' / ');
}

function Products() {
  const t = useT(warehouseMessages);
  const canWrite = useSession().can('catalog:write');
  const [creating, setCreating] = useState(false);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const [editing, setEditing] = useState<Sku | null>(null);
  const [importing, setImporting] = useState(false);
  return (
    <Card
      title={t('productsTitle')}
      extra={
        canWrite && (
          <Space>
            <Button onClick={() => setImporting(true)} data-testid="catalog-platform-import-open">
              {t('platformImport')}
            </Button>
            <Button type="primary" onClick={() => setCreating(true)} data-testid="catalog-new-product">
              {t('newProduct')}
            </Button>
          </Space>
        )
      }
    >
      {importing && <PlatformImportModal onClose={() => setImporting(false)} />}
      <CursorTable<Product>
        rowKey="id"
        queryKey={['warehouse', 'products']}
        fetchPage={(cursor) => ok(api.GET('/v1/products', { params: { query: { cursor, limit: 50 } } }))}
        empty={t('productsEmpty')}
        columns={[
          { title: t('productName'), dataIndex: 'name' },
          {
            title: t('skusWithSpec'),
            key: 'skus',
            render: (_, product) => (
              <Space size={[4, 4]} wrap>
                {product.skus.map((sku) => {
                  const spec = skuSpecText(sku);
                  return (
                    <Tag key={sku.id} title={spec ? `${sku.name} · ${t('skuSpec')}: ${spec}` : sku.name} data-testid={`catalog-sku-${sku.code}`}>
                      {sku.code} · {sku.name}
                      {spec && <span style={{ opacity: 0.65 }}> · {spec}</span>}
                      {canWrite && (
                        <Button
                          type="text"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={`${t('editSku')} ${sku.code}`}
                          title={t('editSku')}
                          onClick={() => setEditing(sku)}
                          data-testid={`catalog-sku-edit-${sku.code}`}
                          style={{ marginInlineStart: 4, height: 18, width: 18, minWidth: 18, padding: 0 }}
                        />
                      )}
                    </Tag>
                  );
                })}
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
      {editing && <SkuEditModal key={editing.id} sku={editing} onClose={() => setEditing(null)} />}
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
