import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { ActorContext } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { timeZonesOf } from '@gongxiao/settlement';
import { ExportFulfillmentOrdersQueryDto } from './fulfillment.dto';
import { orderSheetFilters } from './order-sheet-exports/order-sheet-exports.service';
import { writeOrderSheet } from './order-sheet-exports/order-sheet-writer';

/**
 * The supplier's order sheet (发货单) as an .xlsx, streamed into the response (`writeOrderSheet`):
 * for sheets up to ORDER_SHEET_SYNC_LIMIT_LINES lines (`OrderSheetExportsService.assertSmallEnough`
 * refuses bigger ones first); the worker writes bigger ones (`OrderSheetExportRequestedJob`).
 */
@Injectable()
export class FulfillmentExportService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async writeXlsx(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto, output: Writable): Promise<number> {
    const timeZone = (await timeZonesOf(this.em, [actor.merchantId])).get(actor.merchantId)!;
    const written = await writeOrderSheet(this.em, this.catalog, { supplierMerchantId: actor.merchantId, filters: orderSheetFilters(query), language: query.language ?? 'zh-CN', timeZone }, output);
    return written.rows;
  }
}
