import { Card, Form, Select, Typography } from 'antd';
import { useState } from 'react';
import { SheetImportPanel } from '../../components/sheet-import';
import { EmptyState } from '../../components/widgets';
import { defineMessages, useT } from '../../i18n/i18n';
import { useShops } from './hooks';

const messages = defineMessages({
  'zh-CN': {
    title: '批量下单（Excel）',
    shop: '下单店铺',
    chooseShop: '选择订单所属的店铺',
    hint: '同一订单号的多行是同一个订单的多个商品；商品编码填店铺里的商品编码。已导入过的订单号不会重复下单。',
    noShops: '还没有店铺：先在“店铺”里添加一个店铺，再批量下单。',
  },
  en: {
    title: 'Bulk orders (Excel)',
    shop: 'Shop',
    chooseShop: 'Choose the shop the orders belong to',
    hint: 'Rows with the same order number are one order with several lines; the SKU code is the shop’s own. An order number already imported is never ordered twice.',
    noShops: 'No shop yet: add one under Shops, then upload orders.',
  },
});

/** A micro-shop's orders by spreadsheet: pick the shop, fill in the template, upload; the orders are routed like pushed ones. */
export function BulkOrdersPage() {
  const t = useT(messages);
  const shops = useShops();
  const [shopId, setShopId] = useState<string | undefined>();
  if (shops.data && shops.data.data.length === 0) return <EmptyState description={t('noShops')} />;
  return (
    <Card title={t('title')}>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('shop')}>
          <Select
            style={{ minWidth: 240 }}
            placeholder={t('chooseShop')}
            value={shopId}
            onChange={setShopId}
            loading={shops.isLoading}
            options={(shops.data?.data ?? []).map((shop) => ({ value: shop.id, label: shop.name }))}
            data-testid="bulk-orders-shop"
          />
        </Form.Item>
      </Form>
      <SheetImportPanel kind="channel_orders" testId="bulk-orders-import" fields={shopId ? { shopId } : {}} ready={shopId !== undefined} />
    </Card>
  );
}
