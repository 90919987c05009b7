import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, sqlExec, ValidationFailedError } from '@gongxiao/core';
import { approvePendingCases } from './return-approval';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import { ReturnCasesService } from './return-cases.service';
import { ReturnMovesService } from './return-moves.service';
import { ReturnResponseDto, ReturnShipmentDto } from './returns.dto';

/**
 * The decisions of a case before the goods are back: the supplier approves or rejects one opened
 * outside the no-reason window, the distributor withdraws it or records the consumer's parcel.
 */
@Injectable()
export class ReturnDecisionsService {
  constructor(
    private readonly moves: ReturnMovesService,
    private readonly cases: ReturnCasesService,
  ) {}

  /**
   * The supplier accepts a case that waits for it (the same approval the deadline gives: a case the
   * sweep approved a moment ago is a 409 here, never approved twice).
   */
  async approve(actor: ActorContext, returnId: string, reason: string | undefined): Promise<ReturnResponseDto> {
    return this.moves.move(actor, returnId, 'supplier', 'approve', async (em, row) => {
      RETURN_LIFECYCLE.assert(row.status, 'approved', 'approve');
      await approvePendingCases(em, { decidedBy: 'supplier', reason: reason ?? null, now: new Date(), ids: [row.id] });
    });
  }

  /**
   * The supplier refuses a case that waits for it; its units may be asked for again. Past the
   * deadline the case is the consumer's (approved automatically at the next sweep): too late to refuse.
   */
  async reject(actor: ActorContext, returnId: string, reason: string | undefined): Promise<ReturnResponseDto> {
    if (!reason) throw ValidationFailedError.field('reason', 'is required to reject: tell the distributor why');
    return this.moves.move(actor, returnId, 'supplier', 'reject', async (em, row) => {
      RETURN_LIFECYCLE.assert(row.status, 'rejected', 'reject');
      if (row.decide_by && new Date(row.decide_by).getTime() <= Date.now()) {
        throw new ConflictError('return_decision_overdue', `The deadline to decide this case passed at ${new Date(row.decide_by).toISOString()}: it is approved automatically, too late to reject.`, [
          { field: 'decideBy', reason: 'the deadline has passed' },
        ]);
      }
      await sqlExec(em, `update return_request set status = 'rejected', decided_by = 'supplier', decision_reason = ?, decided_at = now(), updated_at = now() where id = ?`, [reason, row.id]);
      await this.cases.releaseUnits(em, row.id);
    });
  }

  /** The distributor takes a case back before anything came back or was refunded. */
  async withdraw(actor: ActorContext, returnId: string): Promise<ReturnResponseDto> {
    return this.moves.move(actor, returnId, 'distributor', 'withdraw', async (em, row) => {
      if (row.origin === 'interception')
        throw new ConflictError('return_not_withdrawable', 'This parcel was intercepted: it comes back to the supplier whatever happens, so the case cannot be withdrawn.');
      RETURN_LIFECYCLE.assert(row.status, 'withdrawn', 'withdraw');
      await sqlExec(em, `update return_request set status = 'withdrawn', updated_at = now() where id = ?`, [row.id]);
      await this.cases.releaseUnits(em, row.id);
    });
  }

  /** The distributor records the consumer's return parcel. The same tracking again changes nothing. */
  async recordReturnShipment(actor: ActorContext, returnId: string, input: ReturnShipmentDto): Promise<ReturnResponseDto> {
    return this.moves.move(actor, returnId, 'distributor', 'record a return parcel for', async (em, row) => {
      if (row.kind !== 'return_and_refund') throw new ConflictError('return_is_refund_only', 'This case is refund only: the consumer keeps the goods, there is no return parcel.');
      if (row.status === 'return_shipped' && row.return_carrier_code === input.carrierCode && row.return_tracking_number === input.trackingNumber) return false;
      RETURN_LIFECYCLE.assert(row.status, 'return_shipped', 'record a return parcel for');
      await sqlExec(em, `update return_request set status = 'return_shipped', return_carrier_code = ?, return_tracking_number = ?, return_shipped_at = now(), updated_at = now() where id = ?`, [
        input.carrierCode,
        input.trackingNumber,
        row.id,
      ]);
    });
  }
}
