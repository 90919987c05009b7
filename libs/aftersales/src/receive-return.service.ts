import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, sqlExec, UnprocessableError } from '@gongxiao/core';
import { InventoryService } from '@gongxiao/inventory';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import { CaseLine, ReturnCasesService } from './return-cases.service';
import { ReturnMovesService } from './return-moves.service';
import { ReceiveReturnDto, ReturnResponseDto } from './returns.dto';

/**
 * The supplier has the goods back; restocking puts them on hand again with a stock movement. All
 * or nothing (`restock`), or per line (`lines`: some units of some lines), the rest stays off the
 * shelf; each line records the units it restocked.
 */
@Injectable()
export class ReceiveReturnService {
  constructor(
    private readonly moves: ReturnMovesService,
    private readonly cases: ReturnCasesService,
    private readonly inventory: InventoryService,
  ) {}

  async receive(actor: ActorContext, returnId: string, input: ReceiveReturnDto): Promise<ReturnResponseDto> {
    return this.moves.move(actor, returnId, 'supplier', 'confirm receipt of', async (em, row) => {
      if (row.kind !== 'return_and_refund') throw new ConflictError('return_is_refund_only', 'This case is refund only: no goods come back to receive.');
      RETURN_LIFECYCLE.assert(row.status, 'received', 'confirm receipt of');
      const lines = await this.cases.caseLines(em, await this.cases.returnLines(em, [row.id]));
      const restock = restockPlan(lines, input);
      const units = [...restock.values()].reduce((sum, quantity) => sum + quantity, 0);
      await sqlExec(em, `update return_request set status = 'received', received_at = now(), restocked = ?, receipt_note = ?, updated_at = now() where id = ?`, [
        units > 0,
        input.note ?? null,
        row.id,
      ]);
      await sqlExec(
        em,
        `update return_request_line l set restocked_quantity = u.quantity from unnest(?::bigint[], ?::int[]) as u(line_id, quantity)
          where l.return_request_id = ? and l.fulfillment_order_line_id = u.line_id`,
        [[...restock.keys()], [...restock.values()], row.id],
      );
      const restocked = lines.filter((line) => (restock.get(line.fulfillment_order_line_id) ?? 0) > 0);
      await this.inventory.restockReturned(
        em,
        String(row.supplier_merchant_id),
        restocked.map((line) => ({ warehouseId: String(line.warehouse_id), skuId: String(line.sku_id), quantity: restock.get(line.fulfillment_order_line_id)! })),
        `return:${row.id}`,
      );
    });
  }
}

/**
 * Units to restock per line of the case: `restock` for every line (all or none), or the lines named
 * with their units and the others per `restock` (default none). 422 naming the line for a line not in
 * the case, one named twice, or more units than came back on it.
 */
export function restockPlan(lines: CaseLine[], input: ReceiveReturnDto): Map<string, number> {
  const plan = new Map(lines.map((line) => [line.fulfillment_order_line_id, input.restock ? line.quantity : 0]));
  const named = new Set<string>();
  (input.lines ?? []).forEach((asked, index) => {
    const line = lines.find((item) => item.fulfillment_order_line_id === asked.lineId);
    if (!line) {
      throw new UnprocessableError('return_line_unknown', `Line ${asked.lineId} is not a line of this return case.`, [{ field: `lines[${index}].lineId`, reason: 'not a line of this case' }]);
    }
    if (named.has(asked.lineId)) throw new UnprocessableError('return_line_repeated', `Line ${asked.lineId} is named twice.`, [{ field: `lines[${index}].lineId`, reason: 'appears twice' }]);
    named.add(asked.lineId);
    if (asked.restockQuantity > line.quantity) {
      throw new UnprocessableError('restock_exceeds_returned', `Line ${asked.lineId}: ${asked.restockQuantity} unit(s) to restock but ${line.quantity} came back on it.`, [
        { field: `lines[${index}].restockQuantity`, reason: `at most ${line.quantity}` },
      ]);
    }
    plan.set(asked.lineId, asked.restockQuantity);
  });
  return plan;
}
