import { OrderSheetBatchResponseDto } from './order-sheet-batches.dto';

/** An order_sheet_batch row as SQL returns it. */
export interface BatchRow {
  id: string;
  supplier_merchant_id: string;
  warehouse_id: string;
  number: number;
  trigger: 'schedule' | 'manual';
  scheduled_for: Date | null;
  cut_at: Date;
  order_count: number;
  cancelled_count: number;
  first_downloaded_at: Date | null;
  created_at: Date;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toBatchResponse(row: BatchRow): OrderSheetBatchResponseDto {
  return {
    id: String(row.id),
    warehouseId: String(row.warehouse_id),
    number: row.number,
    trigger: row.trigger,
    scheduledFor: iso(row.scheduled_for),
    cutAt: new Date(row.cut_at).toISOString(),
    orderCount: row.order_count,
    cancelledCount: row.cancelled_count,
    firstDownloadedAt: iso(row.first_downloaded_at),
  };
}
