export const STOCK_UPDATE_REASONS = ['erp_sync', 'stock_count', 'manual_adjustment'] as const;
export type StockUpdateReason = (typeof STOCK_UPDATE_REASONS)[number];
export const MAX_STOCK_UPDATES = 5000;
