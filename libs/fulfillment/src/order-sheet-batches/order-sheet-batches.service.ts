import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { ActorContext, decodeIdCursor, isId, NotFoundError, Page, sqlOne, sqlRows, toPage } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { timeZonesOf } from '@gongxiao/settlement';
import { SheetLanguage } from '../fulfillment-sheet';
import { BatchRow, toBatchResponse } from './batch-rows';
import { writeBatchWorkbook } from './batch-workbook';
import { ListOrderSheetBatchesQueryDto, OrderSheetBatchResponseDto } from './order-sheet-batches.dto';

/** The supplier's order-sheet batches: newest first, one by id, and its file (re-downloadable any time). */
@Injectable()
export class OrderSheetBatchesService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async list(actor: ActorContext, query: ListOrderSheetBatchesQueryDto): Promise<Page<OrderSheetBatchResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<BatchRow>(
      this.em,
      `select * from order_sheet_batch where supplier_merchant_id = ? and (?::bigint is null or warehouse_id = ?::bigint) and (?::bigint is null or id < ?::bigint)
        order by id desc limit ?`,
      [actor.merchantId, query.warehouseId ?? null, query.warehouseId ?? null, before, before, limit + 1],
    );
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toBatchResponse,
    );
  }

  async get(actor: ActorContext, batchId: string): Promise<OrderSheetBatchResponseDto> {
    return toBatchResponse(await this.findOwn(actor, batchId));
  }

  /**
   * The batch for its file: 404 unless it is the actor's; the first download is remembered. Called
   * before the file streams, so that a wrong id is a proper 404 and not a broken download.
   */
  async openFile(actor: ActorContext, batchId: string): Promise<BatchRow> {
    const batch = await this.findOwn(actor, batchId);
    const marked = await sqlOne<BatchRow>(this.em, `update order_sheet_batch set first_downloaded_at = coalesce(first_downloaded_at, now()) where id = ? returning *`, [batch.id]);
    return { ...marked!, id: String(batch.id) };
  }

  /** Writes the batch's workbook (发货单 + 已取消 请勿发货) to `output`, on the supplier's wall clock. */
  async writeFile(batch: BatchRow, language: SheetLanguage, output: Writable): Promise<void> {
    const supplier = String(batch.supplier_merchant_id);
    const timeZone = (await timeZonesOf(this.em, [supplier])).get(supplier)!;
    await writeBatchWorkbook(this.em, this.catalog, { batchId: String(batch.id), language, timeZone }, output);
  }

  private async findOwn(actor: ActorContext, batchId: string): Promise<BatchRow> {
    const row = isId(batchId) ? await sqlOne<BatchRow>(this.em, `select * from order_sheet_batch where id = ? and supplier_merchant_id = ?`, [batchId, actor.merchantId]) : undefined;
    if (!row) throw new NotFoundError('order sheet batch', batchId);
    return { ...row, id: String(row.id) };
  }
}
