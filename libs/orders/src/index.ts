export * from './orders.module';
export * from './orders.service';
export * from './channel-order.rows';
export * from './orders.dto';
export * from './channel-order.lifecycle';
export * from './channel-order-cancellation';

export * from './orders.migration';
export * from './orders-cancellation.migration';
export * from './funds-exceptions';
export * from './funds-exception.migration';
export * from './order-metrics';
export * from './contacts-encrypted.migration';
export * from './order-source-sheet.migration';
export * from './bulk-orders.handler';
export { BULK_ORDER_COLUMNS, BULK_ORDER_HEADERS, BULK_ORDER_SPEC } from './bulk-orders/bulk-orders.sheet';
export type { BulkOrderColumn } from './bulk-orders/bulk-orders.sheet';
export { splitChineseAddress, provinceOf } from './bulk-orders/china-address';
export * from './channel-order-references';
