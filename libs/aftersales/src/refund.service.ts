import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, OutboxService, sqlExec, sqlOne } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { hopPaidForUnits } from '@gongxiao/fulfillment';
import { OrdersService } from '@gongxiao/orders';
import { allocateRefund } from './refund-allocation';
import { refundRecordedEvent } from './refund-recorded-event';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import { ReturnCasesService } from './return-cases.service';
import { ReturnMovesService } from './return-moves.service';
import { RefundReturnDto, ReturnResponseDto } from './returns.dto';

/**
 * The supplier refunds (all its buyer paid for these units, or `amount` of it); every hop below
 * refunds its own buyer in the same proportion (`allocateRefund`). One refund per case, recorded
 * per line and hop, and told to settlement (`refund.recorded`) in the same transaction.
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
      if (row.status === 'refunded') RETURN_LIFECYCLE.assert(row.status, 'refunded', 'refund');
      if (row.kind === 'return_and_refund' && row.status !== 'received') {
        throw new ConflictError('return_not_received', `Confirm receipt of the returned goods before refunding: this return is ${row.status}.`, [
          { field: 'status', reason: `current status is ${row.status}` },
        ]);
      }
      RETURN_LIFECYCLE.assert(row.status, 'refunded', 'refund');
      const hops = await this.cases.hopsOf(em, await this.cases.returnLines(em, [row.id]));
      const refunds = allocateRefund(
        String(row.supplier_merchant_id),
        hops.map((hop) => ({
          lineId: hop.fulfillment_order_line_id,
          hopIndex: hop.hop_index,
          sellerMerchantId: hop.seller_merchant_id,
          buyerMerchantId: hop.buyer_merchant_id,
          paid: hopPaidForUnits(hop, hop.quantity),
          currency: hop.currency,
        })),
        input.amount,
      );
      if (refunds.length > 0) {
        await sqlExec(
          em,
          `insert into return_refund (return_request_id, fulfillment_order_line_id, hop_index, seller_merchant_id, buyer_merchant_id, amount, currency)
           select ?, * from unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])`,
          [
            row.id,
            refunds.map((item) => item.lineId),
            refunds.map((item) => item.hopIndex),
            refunds.map((item) => item.sellerMerchantId),
            refunds.map((item) => item.buyerMerchantId),
            refunds.map((item) => item.amount.toString()),
            refunds.map((item) => item.currency),
          ],
        );
      }
      const refunded = (await sqlOne<{ refunded_at: Date }>(em, `update return_request set status = 'refunded', refunded_at = now(), updated_at = now() where id = ? returning refunded_at`, [
        row.id,
      ]))!;
      // Settlement reverses each hop's share from this event alone (own goods: nobody paid anybody).
      if (refunds.length > 0) await this.outbox.append(em, [await refundRecordedEvent(em, this.catalog, this.orders, { row, refundedAt: refunded.refunded_at, hops, refunds })]);
    });
  }
}
