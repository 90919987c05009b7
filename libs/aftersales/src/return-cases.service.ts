import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, isId, NotFoundError, outboxInsertSql, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { claimReturnedUnits, fulfillmentLinesByIds, hopPricesOfLines, LineHopPrice, releaseReturnedUnits } from '@gongxiao/fulfillment';
import { OrdersService } from '@gongxiao/orders';
import { WebhooksService } from '@gongxiao/webhooks';
import { ReturnKind, ReturnOrigin, ReturnRole, ReturnStatus } from './returns.dto';

export interface ReturnRow {
  id: string;
  channel_order_id: string;
  distributor_merchant_id: string;
  supplier_merchant_id: string;
  kind: ReturnKind;
  origin: ReturnOrigin;
  status: ReturnStatus;
  reason: string;
  photo_urls: string[];
  within_window: boolean;
  window_ends_at: Date | null;
  decision_reason: string | null;
  decided_at: Date | null;
  /** The deadline of a case waiting for the supplier: approved automatically past it. */
  decide_by: Date | null;
  decided_by: 'supplier' | 'auto' | null;
  /** Refunds recorded so far (the first, then each top-up). */
  refund_count: number;
  return_carrier_code: string | null;
  return_tracking_number: string | null;
  return_shipped_at: Date | null;
  received_at: Date | null;
  restocked: boolean | null;
  receipt_note: string | null;
  refunded_at: Date | null;
  interception_request_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The units of one fulfillment line a case carries. */
export interface ReturnLineRow {
  return_request_id: string;
  fulfillment_order_line_id: string;
  quantity: number;
  /** Units put back on the shelf at receipt. */
  restocked_quantity: number;
}

/** A case's line with where it ships from and which shop order line it is. */
export interface CaseLine extends ReturnLineRow {
  fulfillment_order_id: string;
  warehouse_id: string;
  sku_id: string;
  line_no: number;
}

/** One hop's price for the units of a case on one line. */
export interface CaseHop extends LineHopPrice {
  return_request_id: string;
  quantity: number;
}

export interface NewReturnCase {
  channelOrderId: string;
  distributorId: string;
  supplierId: string;
  kind: ReturnKind;
  origin: ReturnOrigin;
  status: ReturnStatus;
  reason: string;
  photoUrls: string[];
  within: boolean;
  windowEndsAt: Date | null;
  /** For a case waiting for the supplier: when it is approved automatically. */
  decideBy?: Date | null;
  interceptionRequestId: string | null;
  lines: { id: string; quantity: number }[];
  /** The units were claimed already (by the interception answer that leads to this case). */
  unitsClaimed?: boolean;
}

/**
 * Return cases as after-sales stores them (its own tables), with what it needs of fulfillment's
 * lines and hops and of orders' lines read through their exported functions.
 */
@Injectable()
export class ReturnCasesService {
  constructor(
    private readonly orders: OrdersService,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Opens a case: its row and lines, the claim on the shipped units (fulfillment refuses more than
   * shipped), every party of the lines' chains, and `return.updated` to them. `hops`: the lines'
   * hop prices when the caller has them already.
   */
  async insertCase(em: EntityManager, input: NewReturnCase, hops?: LineHopPrice[]): Promise<ReturnRow> {
    const row = normalize(
      (await sqlOne<ReturnRow>(
        em,
        `insert into return_request (channel_order_id, distributor_merchant_id, supplier_merchant_id, kind, origin, status, reason, photo_urls, within_window, window_ends_at, interception_request_id, decide_by)
         values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?) returning *`,
        [
          input.channelOrderId,
          input.distributorId,
          input.supplierId,
          input.kind,
          input.origin,
          input.status,
          input.reason,
          input.photoUrls,
          input.within,
          input.windowEndsAt?.toISOString() ?? null,
          input.interceptionRequestId,
          input.decideBy?.toISOString() ?? null,
        ],
      ))!,
    );
    const ids = input.lines.map((line) => line.id);
    await sqlExec(em, `insert into return_request_line (return_request_id, fulfillment_order_line_id, quantity) select ?, * from unnest(?::bigint[], ?::int[])`, [
      row.id,
      ids,
      input.lines.map((line) => line.quantity),
    ]);
    if (!input.unitsClaimed) {
      await claimReturnedUnits(
        em,
        input.lines.map((line) => ({ lineId: line.id, quantity: line.quantity })),
      );
    }
    // Everyone on the chain of these lines takes part: the distributor, each broker, the supplier.
    const lineHops = hops ?? (await hopPricesOfLines(em, ids));
    const brokers = [...new Set(lineHops.filter((hop) => ids.includes(hop.fulfillment_order_line_id)).map((hop) => hop.seller_merchant_id))].filter(
      (merchantId) => merchantId !== input.distributorId && merchantId !== input.supplierId,
    );
    const parties = [{ merchantId: input.distributorId, role: 'distributor' }, { merchantId: input.supplierId, role: 'supplier' }, ...brokers.map((merchantId) => ({ merchantId, role: 'broker' }))];
    await sqlExec(em, `insert into return_party (return_request_id, merchant_id, role) select ?, * from unnest(?::bigint[], ?::text[]) on conflict do nothing`, [
      row.id,
      parties.map((party) => party.merchantId),
      parties.map((party) => party.role),
    ]);
    await this.announce(em, row);
    return row;
  }

  /** `return.updated` to the subscriptions of every party, once per status (and once per refund top-up). */
  async announce(em: EntityManager, row: ReturnRow): Promise<void> {
    if (row.origin === 'consumer' && row.status === 'approved') await salesQualityChanged(em, row);
    const topUp = row.status === 'refunded' && row.refund_count > 1 ? `:${row.refund_count}` : '';
    const parties = await sqlRows<{ merchant_id: string }>(em, `select merchant_id::text from return_party where return_request_id = ?`, [row.id]);
    await this.webhooks.publish(
      em,
      parties.map((party) => party.merchant_id),
      'return.updated',
      String(row.id),
      `return:${row.id}:${row.status}${topUp}`,
      (merchantId) => ({
        returnId: String(row.id),
        status: row.status,
        kind: row.kind,
        origin: row.origin,
        ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
        ...(row.refund_count > 1 ? { refundCount: row.refund_count } : {}),
        ...(merchantId === String(row.distributor_merchant_id) ? { channelOrderId: String(row.channel_order_id) } : {}),
      }),
    );
  }

  async byId(em: EntityManager, returnId: string): Promise<ReturnRow> {
    return normalize((await sqlOne<ReturnRow>(em, `select * from return_request where id = ?`, [returnId]))!);
  }

  async byIds(em: EntityManager, returnIds: string[]): Promise<ReturnRow[]> {
    return (await sqlRows<ReturnRow>(em, `select * from return_request where id = any(?::bigint[]) order by id`, [returnIds])).map(normalize);
  }

  /** The case opened from an interception request, if any (there is at most one). */
  async ofInterception(em: EntityManager, interceptionRequestId: string): Promise<string | undefined> {
    return (await sqlOne<{ id: string }>(em, `select id::text from return_request where interception_request_id = ?`, [interceptionRequestId]))?.id;
  }

  /** A case the actor takes part in (locked when asked), or "not found" for anyone else. */
  async findVisible(em: EntityManager, actor: ActorContext, returnId: string, lock = false): Promise<{ row: ReturnRow; role: ReturnRole }> {
    const found = isId(returnId)
      ? await sqlOne<ReturnRow & { party_role: ReturnRole }>(
          em,
          `select r.*, p.role as party_role from return_request r join return_party p on p.return_request_id = r.id and p.merchant_id = ?
            where r.id = ?${lock ? ' for update of r' : ''}`,
          [actor.merchantId, returnId],
        )
      : undefined;
    if (!found) throw new NotFoundError('return', returnId);
    const { party_role: role, ...row } = found;
    return { row: normalize(row), role };
  }

  async returnLines(em: EntityManager, returnIds: string[]): Promise<ReturnLineRow[]> {
    if (returnIds.length === 0) return [];
    return sqlRows<ReturnLineRow>(
      em,
      `select return_request_id::text, fulfillment_order_line_id::text, quantity, restocked_quantity from return_request_line where return_request_id = any(?::bigint[]) order by fulfillment_order_line_id`,
      [returnIds],
    );
  }

  /** Cases' lines with their fulfillment facts and shop order line numbers, by line number. */
  async caseLines(em: EntityManager, lines: ReturnLineRow[]): Promise<CaseLine[]> {
    const facts = await fulfillmentLinesByIds(
      em,
      lines.map((line) => line.fulfillment_order_line_id),
    );
    const channelLines = await this.orders.linesById(em, [...new Set([...facts.values()].map((fact) => fact.channel_order_line_id))]);
    return lines
      .map((line) => {
        const fact = facts.get(line.fulfillment_order_line_id)!;
        return { ...line, fulfillment_order_id: fact.fulfillment_order_id, warehouse_id: fact.warehouse_id, sku_id: fact.sku_id, line_no: channelLines.get(fact.channel_order_line_id)!.line_no };
      })
      .sort((a, b) => a.line_no - b.line_no || compareIds(a.fulfillment_order_line_id, b.fulfillment_order_line_id));
  }

  /** Each hop's price for the cases' units, by line then hop (a merchant given: its own hops only). */
  async hopsOf(em: EntityManager, lines: ReturnLineRow[], merchantId?: string): Promise<CaseHop[]> {
    const prices = await hopPricesOfLines(
      em,
      lines.map((line) => line.fulfillment_order_line_id),
      merchantId,
    );
    return lines
      .flatMap((line) =>
        prices.filter((hop) => hop.fulfillment_order_line_id === line.fulfillment_order_line_id).map((hop) => ({ ...hop, return_request_id: line.return_request_id, quantity: line.quantity })),
      )
      .sort((a, b) => compareIds(a.fulfillment_order_line_id, b.fulfillment_order_line_id) || a.hop_index - b.hop_index);
  }

  /** Units of a case that ends without coming back may be asked for again. */
  async releaseUnits(em: EntityManager, returnId: string): Promise<void> {
    const lines = await this.returnLines(em, [returnId]);
    await releaseReturnedUnits(
      em,
      lines.map((line) => ({ lineId: line.fulfillment_order_line_id, quantity: line.quantity })),
    );
  }
}

function normalize<Row extends { id: string }>(row: Row): Row {
  return { ...row, id: String(row.id) };
}

export function compareIds(a: string, b: string): number {
  const [left, right] = [BigInt(a), BigInt(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A consumer case starts to count in return rates once approved (at opening, by the supplier or automatically): delisting rules re-evaluate its SKUs. */
async function salesQualityChanged(em: EntityManager, row: ReturnRow): Promise<void> {
  const lines = await sqlRows<{ fulfillment_order_line_id: string }>(em, `select fulfillment_order_line_id::text from return_request_line where return_request_id = ?`, [row.id]);
  const facts = await fulfillmentLinesByIds(
    em,
    lines.map((line) => line.fulfillment_order_line_id),
  );
  const skuIds = [...new Set([...facts.values()].map((line) => line.sku_id))];
  if (skuIds.length > 0) await sqlExec(em, outboxInsertSql(`select 'sales_quality.changed', ?, ?, ?::jsonb`), [String(row.supplier_merchant_id), `return:${row.id}`, JSON.stringify({ skuIds })]);
}
