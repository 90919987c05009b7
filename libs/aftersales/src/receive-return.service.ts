import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, sqlExec } from '@gongxiao/core';
import { InventoryService } from '@gongxiao/inventory';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import { ReturnCasesService } from './return-cases.service';
import { ReturnMovesService } from './return-moves.service';
import { ReceiveReturnDto, ReturnResponseDto } from './returns.dto';

/** The supplier has the goods back; restocking puts them on hand again with a stock movement. */
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
      await sqlExec(em, `update return_request set status = 'received', received_at = now(), restocked = ?, receipt_note = ?, updated_at = now() where id = ?`, [
        input.restock,
        input.note ?? null,
        row.id,
      ]);
      if (input.restock) {
        const lines = await this.cases.caseLines(em, await this.cases.returnLines(em, [row.id]));
        await this.inventory.restockReturned(
          em,
          String(row.supplier_merchant_id),
          lines.map((line) => ({ warehouseId: String(line.warehouse_id), skuId: String(line.sku_id), quantity: line.quantity })),
          `return:${row.id}`,
        );
      }
    });
  }
}
