import { SheetLanguageCode, SheetSpec } from '@gongxiao/core';

/** The columns of a bulk-orders sheet, in template order. */
export const BULK_ORDER_COLUMNS = ['orderNo', 'consignee', 'phone', 'province', 'city', 'district', 'address', 'skuCode', 'quantity', 'unitPrice', 'remarks', 'placedAt'] as const;
export type BulkOrderColumn = (typeof BULK_ORDER_COLUMNS)[number];

/** Per column: the Chinese header, the English one, then the other headers people write; and whether the column must be there. */
const COLUMNS: Record<BulkOrderColumn, { headers: string[]; required: boolean }> = {
  orderNo: { headers: ['订单号', 'Order no.', '店铺订单号', '外部订单号', '订单编号', 'Order no', 'Order number', 'External order id'], required: true },
  consignee: { headers: ['收件人', 'Consignee', '收货人', '收件人姓名', '收货人姓名'], required: true },
  phone: { headers: ['手机', 'Phone', '电话', '联系电话', '手机号', '收件人手机', '收货人手机', '收货人电话', 'Mobile'], required: true },
  province: { headers: ['省', 'Province', '省份'], required: false },
  city: { headers: ['市', 'City', '城市'], required: false },
  district: { headers: ['区', 'District', '区县', '县区'], required: false },
  address: { headers: ['详细地址', 'Address', '地址', '收货地址', '收件地址', '收件人地址', '收货人地址'], required: true },
  skuCode: { headers: ['商品编码', 'SKU code', '商家编码', 'SKU', '货号', 'SKU编码', '商品编号'], required: true },
  quantity: { headers: ['数量', 'Quantity', '件数', '购买数量', 'Qty'], required: true },
  unitPrice: { headers: ['单价', 'Unit price', '零售价', '售价', '价格', 'Price'], required: false },
  remarks: { headers: ['买家留言', 'Remarks', '备注', '留言', '订单备注'], required: false },
  placedAt: { headers: ['下单时间', 'Placed at', '订单时间', '创建时间', 'Order time'], required: false },
};

/** At most this many rows per upload (each order is one statement; split bigger files). */
export const BULK_ORDER_MAX_ROWS = 5000;

export const BULK_ORDER_SPEC: SheetSpec<BulkOrderColumn> = {
  columns: BULK_ORDER_COLUMNS.map((key) => ({ key, headers: COLUMNS[key].headers, required: COLUMNS[key].required })),
  maxRows: BULK_ORDER_MAX_ROWS,
};

/** The template's (and the rejected-rows sheet's) headers per language. */
export const BULK_ORDER_HEADERS: Record<SheetLanguageCode, string[]> = {
  'zh-CN': BULK_ORDER_COLUMNS.map((key) => COLUMNS[key].headers[0]),
  en: BULK_ORDER_COLUMNS.map((key) => COLUMNS[key].headers[1]),
};

/** A column's header in the upload's language, as reasons name it. */
export function columnLabel(column: BulkOrderColumn, language: SheetLanguageCode): string {
  return COLUMNS[column].headers[language === 'en' ? 1 : 0];
}
