import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, IllegalTransitionError, OutboxService, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { hopPaidForUnits } from '@gongxiao/fulfillment';
import { OrdersService } from '@gongxiao/orders';
import { allocateRefund, HopPayment, HopRefund } from './refund-allocation';
import { refundRecordedEvent } from './refund-recorded-event';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import { CaseHop, ReturnCasesService, ReturnRow } from './return-cases.service';
import { ReturnMovesService } from './return-moves.service';
import { RefundReturnDto, ReturnResponseDto } from './returns.dto';

/**
 * The supplier refunds (all its buyer paid for these units, or `amount` of it); every hop below
 * refunds its own buyer in the same proportion (`allocateRefund`). A partial refund may be topped up
 * later, the same way, on what is left at each hop. Each refund (the first, each top-up) is numbered
 * on the case, recorded per line and hop, and told to settlement (`refund.recorded`, its own ledger
 * keys) in the same transaction, under the case's lock: two top-ups at once are one after the other.
 */
@Injectable()
export class RefundService {
  constructor(
    private readonly moves: ReturnMovesService,
    private readonly cases: ReturnCasesService,
    private readonly outbox: OutboxService,
    private readonly catalog: CatalogService,
    private readonly orders: OrdersService,
  ) {}

  async refund(actor: ActorContext, returnId: string, input: RefundReturnDto): Promise<ReturnResponseDto> {
    return this.moves.move(actor, returnId, 'supplier', 'refund', async (em, row) => {
      const topUp = row.status === 'refunded';
      if (!topUp) assertRefundable(row);
      const hops = await this.cases.hopsOf(em, await this.cases.returnLines(em, [row.id]));
      const payments = await this.paymentsOf(em, row.id, hops);
      if (topUp) assertToppable(payments, input);
      assertExpectedCount(row, input);
      const refunds = allocateRefund(String(row.supplier_merchant_id), payments, input.amount);
      const refundNo = row.refund_count + 1;
      await insertRefunds(em, row.id, refundNo, refunds);
      const recorded = (await sqlOne<{ recorded_at: Date }>(
        em,
        `update return_request set status = 'refunded', refunded_at = coalesce(refunded_at, now()), refund_count = ?, updated_at = now() where id = ? returning now() as recorded_at`,
        [refundNo, row.id],
      ))!;
      // Settlement reverses each hop's share from this event alone (own goods: nobody paid anybody).
      if (refunds.length > 0) {
        await this.outbox.append(em, [await refundRecordedEvent(em, this.catalog, this.orders, { row, refundNo, refundedAt: recorded.recorded_at, hops, refunds })]);
      }
    });
  }

  /** What each buyer paid at each hop for the case's units, and what earlier refunds gave back. */
  private async paymentsOf(em: EntityManager, returnId: string, hops: CaseHop[]): Promise<HopPayment[]> {
    const earlier = await sqlRows<{ line_id: string; hop_index: number; amount: string }>(
      em,
      `select fulfillment_order_line_id::text as line_id, hop_index, sum(amount)::text as amount from return_refund where return_request_id = ? group by 1, 2`,
      [returnId],
    );
    const refunded = new Map(earlier.map((item) => [`${item.line_id}:${item.hop_index}`, BigInt(item.amount)]));
    return hops.map((hop) => ({
      lineId: hop.fulfillment_order_line_id,
      hopIndex: hop.hop_index,
      sellerMerchantId: hop.seller_merchant_id,
      buyerMerchantId: hop.buyer_merchant_id,
      paid: hopPaidForUnits(hop, hop.quantity),
      currency: hop.currency,
      refunded: refunded.get(`${hop.fulfillment_order_line_id}:${hop.hop_index}`) ?? 0n,
    }));
  }
}

/**
 * A top-up names the refund it adds to (`expectedRefundCount` = the case's refund count): a repeat of
 * the same request after it was applied, with or without an Idempotency-Key, finds the count moved on
 * and is refused, never paid twice. A first refund may name 0.
 */
function assertExpectedCount(row: ReturnRow, input: RefundReturnDto): void {
  const expected = input.expectedRefundCount;
  if (row.status === 'refunded' && expected === undefined) {
    throw new ConflictError(
      'refund_already_recorded',
      `This case was refunded ${row.refund_count} time(s) already. To add a top-up, send expectedRefundCount: ${row.refund_count} with the amount; a request repeated after it was applied is then refused instead of refunding twice.`,
      [{ field: 'expectedRefundCount', reason: `required for a top-up: the case's refundCount is ${row.refund_count}` }],
    );
  }
  if (expected !== undefined && expected !== row.refund_count) {
    throw new ConflictError(
      'refund_count_changed',
      `This case has been refunded ${row.refund_count} time(s), not ${expected}: the refund you meant to add to was already added, or another was. Reload the case to see what was refunded.`,
      [{ field: 'expectedRefundCount', reason: `the case's refundCount is ${row.refund_count}` }],
    );
  }
}

/** The first refund: a refund-only case once approved, goods that come back once received. */
function assertRefundable(row: ReturnRow): void {
  if (row.kind === 'return_and_refund' && row.status !== 'received') {
    throw new ConflictError('return_not_received', `Confirm receipt of the returned goods before refunding: this return is ${row.status}.`, [
      { field: 'status', reason: `current status is ${row.status}` },
    ]);
  }
  RETURN_LIFECYCLE.assert(row.status, 'refunded', 'refund');
}

/** A top-up: only while the supplier has something left to refund, and for more than nothing. */
function assertToppable(payments: HopPayment[], input: RefundReturnDto): void {
  const tops = new Map<string, HopPayment>();
  for (const hop of payments) if ((tops.get(hop.lineId)?.hopIndex ?? -1) < hop.hopIndex) tops.set(hop.lineId, hop);
  const left = [...tops.values()].reduce((sum, top) => sum + top.paid - (top.refunded ?? 0n), 0n);
  if (left <= 0n) throw new IllegalTransitionError('return', 'refunded', 'refund');
  if (input.amount && input.amount.amount === 0) throw ValidationFailedError.field('amount.amount', 'must be above 0: a top-up adds to what was refunded');
}

async function insertRefunds(em: EntityManager, returnId: string, refundNo: number, refunds: HopRefund[]): Promise<void> {
  if (refunds.length === 0) return;
  await sqlExec(
    em,
    `insert into return_refund (return_request_id, refund_no, fulfillment_order_line_id, hop_index, seller_merchant_id, buyer_merchant_id, amount, currency)
     select ?, ?, * from unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])`,
    [
      returnId,
      refundNo,
      refunds.map((item) => item.lineId),
      refunds.map((item) => item.hopIndex),
      refunds.map((item) => item.sellerMerchantId),
      refunds.map((item) => item.buyerMerchantId),
      refunds.map((item) => item.amount.toString()),
      refunds.map((item) => item.currency),
    ],
  );
}
