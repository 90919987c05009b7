import type { SheetImportMode, SheetLanguageCode } from '@gongxiao/core';
import type { FulfillmentStatus } from '../fulfillment.dto';

/**
 * One row of a bulk shipment (a sheet row or an ERP's JSON item). No SKU and no line: the rest of
 * the whole order goes in this parcel; a SKU or line without quantity: all that is left of it.
 * Rows with the same order + carrier + tracking number are one parcel with several lines.
 */
export interface BulkShipmentRow {
  fulfillmentOrderId: string;
  /** Any spelling of the carrier (顺丰, SF, shunfeng …). */
  carrier: string;
  trackingNumber: string;
  skuCode?: string;
  lineId?: string;
  /** A whole number ≥ 1 (text from a sheet is checked the same way). */
  quantity?: number | string;
  /** How the row is named in reasons that point at it: its sheet row number, else its index in the request. */
  rowNumber?: number;
}

export type BulkRowStatus = 'applied' | 'unchanged' | 'rejected';

export interface BulkRowOutcome {
  index: number;
  status: BulkRowStatus;
  reason?: string;
  shipmentId?: string;
}

export interface BulkShipmentReport {
  applied: number;
  unchanged: number;
  rejected: number;
  rows: BulkRowOutcome[];
}

export interface BulkShipmentOptions {
  mode: SheetImportMode;
  language: SheetLanguageCode;
}

/** What the planner knows of an order, its lines (with SKU codes) and the parcels already recorded. */
export interface PlanOrder {
  id: string;
  status: FulfillmentStatus;
}

export interface PlanLine {
  id: string;
  orderId: string;
  skuCode: string;
  quantity: number;
  shipped: number;
  cancelled: number;
}

export interface PlanShipment {
  id: string;
  orderId: string;
  carrierCode: string;
  trackingNumber: string;
  lines: { lineId: string; quantity: number }[];
}

export interface PlanState {
  /** Only the actor's own orders: another merchant's id is simply absent ("not found"). */
  orders: Map<string, PlanOrder>;
  /** Lines of each order, in id order. */
  lines: Map<string, PlanLine[]>;
  shipments: PlanShipment[];
}

/** A parcel to record: its rows (indexes into the upload) and the units of each line. */
export interface PlannedParcel {
  orderId: string;
  carrierCode: string;
  trackingNumber: string;
  rows: number[];
  lines: { lineId: string; quantity: number }[];
}

/** Per row: to apply (in `parcels`), already recorded (with its shipment) or rejected with a reason. */
export type PlannedRow = { status: 'apply' } | { status: 'unchanged'; shipmentId: string } | { status: 'rejected'; reason: string };

export interface BulkPlan {
  rows: PlannedRow[];
  parcels: PlannedParcel[];
}
