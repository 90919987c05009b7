import { Injectable } from '@nestjs/common';
import { SheetImportContext, SheetImportHandler, SheetImportOutcome, SheetLanguageCode, SheetRow, SheetSpec } from '@gongxiao/core';
import { BulkShipmentsService } from './bulk-shipments.service';
import { BulkShipmentRow } from './bulk-shipments/bulk-shipment.types';
import { sheetHeader } from './fulfillment-sheet';

/** At most this many rows per upload: three batches a day of a large warehouse, validated and applied in the worker. */
export const TRACKING_BACKFILL_MAX_ROWS = 100_000;

export type TrackingBackfillColumn = 'order' | 'skuCode' | 'quantity' | 'carrier' | 'tracking';

/** The columns in template order: the order sheet's own headers first (zh-CN, en), then what people also write. */
const COLUMNS: { key: TrackingBackfillColumn; synonyms: string[]; required: boolean }[] = [
  { key: 'order', synonyms: ['发货单', '发货单编号', 'Fulfillment order id', 'fulfillmentOrderId'], required: true },
  { key: 'skuCode', synonyms: ['SKU', 'SKU编码', '货号', '商品货号', 'skuCode'], required: false },
  { key: 'quantity', synonyms: ['发货数量', 'Qty', 'Quantity shipped'], required: false },
  { key: 'carrier', synonyms: ['物流公司', '快递', '承运商', '快递名称', 'Courier'], required: true },
  { key: 'tracking', synonyms: ['运单号', '物流单号', '快递单号码', 'Tracking', 'Tracking no'], required: true },
];

/**
 * The order sheet (发货单) uploaded back with carrier and tracking filled in: several rows of one
 * order with the same tracking number are one parcel, a row may ship part of a line. Rows with
 * neither carrier nor tracking number are the lines not shipped yet: skipped, not refused. A parcel
 * that the sheet lists as shipped already is "unchanged", so a downloaded sheet uploads back as is.
 */
@Injectable()
export class TrackingBackfillHandler implements SheetImportHandler<TrackingBackfillColumn> {
  readonly kind = 'tracking_backfill';
  readonly permission = 'fulfillment:write' as const;
  readonly spec: SheetSpec<TrackingBackfillColumn> = {
    columns: COLUMNS.map((column) => ({ key: column.key, headers: [sheetHeader(column.key)['zh-CN'], sheetHeader(column.key).en, ...column.synonyms], required: column.required })),
    maxRows: TRACKING_BACKFILL_MAX_ROWS,
  };
  readonly templateHeaders: Record<SheetLanguageCode, string[]> = {
    'zh-CN': COLUMNS.map((column) => sheetHeader(column.key)['zh-CN']),
    en: COLUMNS.map((column) => sheetHeader(column.key).en),
  };

  constructor(private readonly bulk: BulkShipmentsService) {}

  async apply(context: SheetImportContext, rows: SheetRow<TrackingBackfillColumn>[]): Promise<SheetImportOutcome> {
    // One small object per shipped row (its cells, for the rejected-rows sheet, are its own fields).
    const input: BulkShipmentRow[] = [];
    for (const { rowNumber, values } of rows) {
      if (values.carrier === '' && values.tracking === '') continue;
      input.push({
        rowNumber,
        fulfillmentOrderId: values.order,
        carrier: values.carrier,
        trackingNumber: values.tracking,
        skuCode: values.skuCode || undefined,
        quantity: values.quantity || undefined,
      });
    }
    // Handed over by the caller: the sheet's rows are not kept while the parcels are applied.
    rows.length = 0;
    if (input.length === 0) return { applied: 0, unchanged: 0, rejected: [] };
    const report = await this.bulk.record(context.actor, input, { mode: context.mode, language: context.language }, (done, total) => context.progress(done, total));
    return {
      applied: report.applied,
      unchanged: report.unchanged,
      rejected: report.rows
        .filter((outcome) => outcome.status === 'rejected')
        .map((outcome) => {
          const row = input[outcome.index];
          return { rowNumber: row.rowNumber!, cells: cellsOf(row), reason: outcome.reason ?? '' };
        }),
    };
  }
}

/** A row's cells in template order, as uploaded. */
function cellsOf(row: BulkShipmentRow): string[] {
  const values: Record<TrackingBackfillColumn, string> = {
    order: row.fulfillmentOrderId,
    skuCode: row.skuCode ?? '',
    quantity: row.quantity === undefined ? '' : String(row.quantity),
    carrier: row.carrier,
    tracking: row.trackingNumber,
  };
  return COLUMNS.map((column) => values[column.key]);
}
