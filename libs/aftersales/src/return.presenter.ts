import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Money, money, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { hopPaidForUnits } from '@gongxiao/fulfillment';
import { CaseHop, ReturnCasesService, ReturnRow } from './return-cases.service';
import { ReturnResponseDto, ReturnRole } from './returns.dto';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * Each merchant's view of cases: its own hops' amounts only; order ids and line numbers for the
 * distributor, fulfillment ids for the supplier; brokers follow the case and their money, not the
 * consumer's parcel, photos or the receipt note.
 */
@Injectable()
export class ReturnPresenter {
  constructor(
    private readonly cases: ReturnCasesService,
    private readonly catalog: CatalogService,
  ) {}

  async present(em: EntityManager, viewerId: string, rows: ReturnRow[]): Promise<ReturnResponseDto[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => String(row.id));
    const returnLines = await this.cases.returnLines(em, ids);
    const lines = await this.cases.caseLines(em, returnLines);
    const hops = await this.cases.hopsOf(em, returnLines, viewerId);
    const refunds = await sqlRows<{ return_request_id: string; seller_merchant_id: string; buyer_merchant_id: string; amount: string; currency: string }>(
      em,
      `select return_request_id::text, seller_merchant_id::text, buyer_merchant_id::text, amount::text, currency from return_refund
        where return_request_id = any(?::bigint[]) and ?::bigint in (seller_merchant_id, buyer_merchant_id)`,
      [ids, viewerId],
    );
    const roles = await sqlRows<{ return_request_id: string; role: ReturnRole }>(
      em,
      `select return_request_id::text, role from return_party where return_request_id = any(?::bigint[]) and merchant_id = ?`,
      [ids, viewerId],
    );
    const skus = await this.catalog.skusById([...new Set(lines.map((line) => line.sku_id))]);
    const total = (items: { amount: bigint; currency: string }[]): Money | null =>
      items.length === 0
        ? null
        : money(
            items.reduce((sum, item) => sum + item.amount, 0n),
            items[0].currency,
          );
    const paid = (hop: CaseHop) => ({ amount: hopPaidForUnits(hop, hop.quantity), currency: hop.currency });
    const refunded = (refund: (typeof refunds)[number]) => ({ amount: BigInt(refund.amount), currency: refund.currency });
    const linesOf = (id: string) => lines.filter((line) => line.return_request_id === id);
    const restockedUnits = (id: string) => linesOf(id).reduce((sum, line) => sum + line.restocked_quantity, 0);
    return rows.map((row) => {
      const id = String(row.id);
      const role = roles.find((item) => item.return_request_id === id)?.role ?? 'broker';
      const isDistributor = viewerId === String(row.distributor_merchant_id);
      const isSupplier = viewerId === String(row.supplier_merchant_id);
      const seesParcel = isDistributor || isSupplier;
      const ownHops = hops.filter((hop) => hop.return_request_id === id);
      const ownRefunds = refunds.filter((refund) => refund.return_request_id === id);
      return {
        id,
        yourRole: role,
        kind: row.kind,
        origin: row.origin,
        status: row.status,
        ...(isDistributor ? { channelOrderId: String(row.channel_order_id) } : {}),
        reason: row.reason,
        photoUrls: seesParcel ? row.photo_urls : [],
        withinWindow: row.within_window,
        windowEndsAt: iso(row.window_ends_at),
        decisionReason: row.decision_reason,
        decidedBy: row.decided_by,
        decideBy: row.status === 'pending_approval' ? iso(row.decide_by) : null,
        returnShipment:
          seesParcel && row.return_carrier_code && row.return_tracking_number
            ? { carrierCode: row.return_carrier_code, trackingNumber: row.return_tracking_number, shippedAt: iso(row.return_shipped_at)! }
            : null,
        receipt: row.received_at ? { receivedAt: iso(row.received_at)!, restocked: Boolean(row.restocked), restockedUnits: restockedUnits(id), note: seesParcel ? row.receipt_note : null } : null,
        lines: linesOf(id).map((line) => ({
          skuId: line.sku_id,
          skuCode: skus.get(line.sku_id)?.code ?? '',
          skuName: skus.get(line.sku_id)?.name ?? '',
          quantity: line.quantity,
          restockedQuantity: line.restocked_quantity,
          ...(isDistributor ? { lineNo: line.line_no } : {}),
          ...(isSupplier ? { fulfillmentOrderId: line.fulfillment_order_id, fulfillmentOrderLineId: line.fulfillment_order_line_id } : {}),
        })),
        money: {
          paidToSeller: total(ownHops.filter((hop) => hop.buyer_merchant_id === viewerId).map(paid)),
          paidByBuyer: total(ownHops.filter((hop) => hop.seller_merchant_id === viewerId).map(paid)),
          refundedToYou: total(ownRefunds.filter((refund) => refund.buyer_merchant_id === viewerId).map(refunded)),
          refundedByYou: total(ownRefunds.filter((refund) => refund.seller_merchant_id === viewerId).map(refunded)),
        },
        createdAt: iso(row.created_at)!,
        updatedAt: iso(row.updated_at)!,
        refundedAt: iso(row.refunded_at),
        refundCount: row.refund_count,
      };
    });
  }
}
