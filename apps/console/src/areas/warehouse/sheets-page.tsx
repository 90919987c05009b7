import { useMutation } from '@tanstack/react-query';
import { Button, Card, Select, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { download } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { SheetImportPanel } from '../../components/sheet-import';
import { defineMessages, useLanguage, useT } from '../../i18n/i18n';
import { useWarehouses } from './data';

const messages = defineMessages({
  'zh-CN': {
    title: '表格导入导出',
    tracking: '回填物流单号',
    products: '商品导入导出',
    stock: '库存导入导出',
    orderSheet: '下载待发货的发货单（填好快递公司和快递单号后上传）',
    exportProducts: '导出全部商品（可改后上传）',
    exportStock: '下载库存表（每个仓库的每个 SKU 一行，未建库存的为 0；填好后上传）',
    allWarehouses: '全部仓库',
  },
  en: {
    title: 'Sheets: import and export',
    tracking: 'Tracking backfill',
    products: 'Products',
    stock: 'Stock levels',
    orderSheet: 'Download the order sheet of unshipped orders (fill in carrier and tracking, then upload it)',
    exportProducts: 'Export every product (edit it and upload it back)',
    exportStock: 'Download the stock sheet (a row for every SKU in every warehouse, 0 where none is kept yet; fill it in and upload it)',
    allWarehouses: 'All warehouses',
  },
});

/** A download button for one of the api's sheets, in the member's language. */
function SheetDownload({ path, fallbackName, label, testId }: { path: string; fallbackName: string; label: string; testId: string }) {
  const { language } = useLanguage();
  const fetchSheet = useMutation({ mutationFn: () => download(`${path}${path.includes('?') ? '&' : '?'}language=${language}`, fallbackName) });
  return (
    <>
      <Button onClick={() => fetchSheet.mutate()} loading={fetchSheet.isPending} data-testid={testId}>
        {label}
      </Button>
      {fetchSheet.error && <ApiErrorAlert error={fetchSheet.error} />}
    </>
  );
}

/** The stock sheet to fill, of every warehouse or of the one chosen (an upload holds at most 20,000 rows). */
function StockSheetDownload() {
  const t = useT(messages);
  const { warehouses } = useWarehouses();
  const [warehouseId, setWarehouseId] = useState<string | undefined>();
  return (
    <Space wrap align="start">
      <Select
        allowClear
        placeholder={t('allWarehouses')}
        style={{ width: 220 }}
        value={warehouseId}
        onChange={(value?: string) => setWarehouseId(value)}
        options={warehouses.map((warehouse) => ({ value: warehouse.id, label: `${warehouse.name} (${warehouse.code})` }))}
        data-testid="stock-export-warehouse"
      />
      <SheetDownload path={`/v1/stock-levels/export.xlsx${warehouseId ? `?warehouseId=${warehouseId}` : ''}`} fallbackName="stock.xlsx" label={t('exportStock')} testId="stock-export" />
    </Space>
  );
}

/** The supplier's spreadsheets: tracking numbers back from the order sheet, products and stock levels both ways. */
export function SheetsPage() {
  const t = useT(messages);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'tracking';
  return (
    <Card title={t('title')}>
      <Tabs
        activeKey={tab}
        onChange={(next) => setParams({ tab: next })}
        items={[
          {
            key: 'tracking',
            label: <span data-testid="sheets-tab-tracking">{t('tracking')}</span>,
            children: (
              <SheetImportPanel
                kind="tracking_backfill"
                testId="tracking-import"
                extra={<SheetDownload path="/v1/fulfillment-orders/export.xlsx?status=new" fallbackName="orders.xlsx" label={t('orderSheet')} testId="tracking-import-order-sheet" />}
              />
            ),
          },
          {
            key: 'products',
            label: <span data-testid="sheets-tab-products">{t('products')}</span>,
            children: (
              <SheetImportPanel
                kind="products"
                testId="products-import"
                extra={<SheetDownload path="/v1/products/export.xlsx" fallbackName="products.xlsx" label={t('exportProducts')} testId="products-export" />}
              />
            ),
          },
          {
            key: 'stock',
            label: <span data-testid="sheets-tab-stock">{t('stock')}</span>,
            children: <SheetImportPanel kind="stock_levels" testId="stock-import" extra={<StockSheetDownload />} />,
          },
        ]}
      />
    </Card>
  );
}
