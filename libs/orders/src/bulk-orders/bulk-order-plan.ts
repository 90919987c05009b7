import { DomainError, SheetRow, validateBody } from '@gongxiao/core';
import { PushOrderDto } from '../orders.dto';
import { assembleOrder, OrderDraft } from './bulk-order-assembly';
import { aboutColumn, joined, receivedWithOtherContent, siblingRejected } from './bulk-order-reasons';
import { groupByOrder, ParsedRow, parseRow, RowFacts } from './bulk-order-rows';
import { BulkOrderColumn } from './bulk-orders.sheet';
import { Localized, say } from './order-sheet-cells';
import { differingColumns, ReceivedOrder } from './received-orders';

/** A new order of the sheet, validated as a push is, ready to ingest. */
export interface PlannedOrder {
  input: PushOrderDto;
  rows: SheetRow<BulkOrderColumn>[];
}

export interface RejectedSheetRow {
  rowNumber: number;
  values: Record<BulkOrderColumn, string>;
  reason: Localized;
}

/** What a sheet would do: the orders to ingest, the rows already received as they are, and the rows refused (each with its reason). */
export interface BulkOrderPlan {
  orders: PlannedOrder[];
  unchangedRows: number;
  rejected: RejectedSheetRow[];
}

export interface PlanFacts extends RowFacts {
  /** Orders of the shop already received under the sheet's order numbers. */
  received: Map<string, ReceivedOrder>;
}

/**
 * Checks every row and every order of a sheet before anything is applied: rows with the same order
 * number are one order, one bad row rejects its whole order (said on its other rows), the order is
 * validated with the push's own DTO, and an order number already received is unchanged when its
 * content is the same and rejected when it is not.
 */
export async function planBulkOrders(rows: SheetRow<BulkOrderColumn>[], facts: PlanFacts): Promise<BulkOrderPlan> {
  const plan: BulkOrderPlan = { orders: [], unchangedRows: 0, rejected: [] };
  const { orders, orphans } = groupByOrder(rows.map((row) => parseRow(row, facts)));
  for (const row of orphans) plan.rejected.push({ rowNumber: row.rowNumber, values: row.values, reason: joined(row.problems) });
  for (const { orderNo, rows: orderRows } of orders) {
    if (orderRows.some((row) => row.problems.length > 0)) {
      reject(plan, orderNo, orderRows, new Map(orderRows.map((row) => [row.rowNumber, row.problems])), []);
      continue;
    }
    const assembly = assembleOrder(orderNo, orderRows);
    if (!assembly.ok) {
      reject(plan, orderNo, orderRows, new Map(), assembly.orderProblems);
      continue;
    }
    const validated = await validatedAsPush(assembly.draft, orderRows);
    if ('problems' in validated) {
      reject(plan, orderNo, orderRows, validated.problems, validated.orderProblems);
      continue;
    }
    const received = facts.received.get(orderNo);
    if (received) {
      const differing = differingColumns(received, assembly.draft, assembly.pricesGiven);
      if (differing.length === 0) plan.unchangedRows += orderRows.length;
      else reject(plan, orderNo, orderRows, new Map(), [receivedWithOtherContent(orderNo, received.id, differing)]);
      continue;
    }
    plan.orders.push({ input: validated.input, rows: orderRows.map((row) => ({ rowNumber: row.rowNumber, values: row.values })) });
  }
  plan.rejected.sort((a, b) => a.rowNumber - b.rowNumber);
  return plan;
}

/** Rejects every row of an order: a row's own problems and the order's, or (a row with none) that a sibling failed. */
export function reject(plan: BulkOrderPlan, orderNo: string, rows: ParsedRow[] | SheetRow<BulkOrderColumn>[], rowProblems: Map<number, Localized[]>, orderProblems: Localized[]): void {
  const failed = rows.filter((row) => (rowProblems.get(row.rowNumber) ?? []).length > 0).map((row) => row.rowNumber);
  for (const row of rows) {
    const own = [...(rowProblems.get(row.rowNumber) ?? []), ...orderProblems];
    plan.rejected.push({ rowNumber: row.rowNumber, values: row.values, reason: own.length > 0 ? joined(own) : siblingRejected(orderNo, failed) });
  }
}

/** Where a PushOrderDto field is in the sheet: its column and, for a line's field, the row of that line. */
const FIELD_COLUMNS: Record<string, BulkOrderColumn> = {
  externalOrderId: 'orderNo',
  'consignee.name': 'consignee',
  'consignee.phone': 'phone',
  'consignee.province': 'province',
  'consignee.city': 'city',
  'consignee.district': 'district',
  'consignee.address': 'address',
  shopSkuCode: 'skuCode',
  quantity: 'quantity',
  unitPrice: 'unitPrice',
  remarks: 'remarks',
  placedAt: 'placedAt',
};

/**
 * The draft validated exactly as a pushed order is (the same DTO, the same rules). The sheet's own
 * checks come first and say more; what only the DTO refuses is reported with its (English) reason.
 */
async function validatedAsPush(draft: OrderDraft, rows: ParsedRow[]): Promise<{ input: PushOrderDto } | { problems: Map<number, Localized[]>; orderProblems: Localized[] }> {
  try {
    return { input: await validateBody(PushOrderDto, draft) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problems = new Map<number, Localized[]>();
    const orderProblems: Localized[] = [];
    for (const detail of error.details.length > 0 ? error.details : [{ field: 'order', reason: error.message }]) {
      const line = /^lines\[(\d+)\]\.(\w+)$/.exec(detail.field);
      const column = FIELD_COLUMNS[line ? line[2] : detail.field];
      const reason = column ? aboutColumn(column, say(detail.reason, detail.reason)) : say(`${detail.field}：${detail.reason}`, `${detail.field}: ${detail.reason}`);
      const row = line ? rows[Number(line[1])] : undefined;
      if (row) problems.set(row.rowNumber, [...(problems.get(row.rowNumber) ?? []), reason]);
      else orderProblems.push(reason);
    }
    return { problems, orderProblems };
  }
}
