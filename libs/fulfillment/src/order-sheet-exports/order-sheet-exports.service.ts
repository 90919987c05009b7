import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createReadStream, ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ActorContext, AppConfig, ConflictError, OutboxService, sqlOne, UnprocessableError } from '@gongxiao/core';
import { ExportFulfillmentOrdersQueryDto } from '../fulfillment.dto';
import { OrderSheetExportResponseDto } from './order-sheet-exports.dto';
import { ownOrderSheetExport, toOrderSheetExportResponse } from './order-sheet-export-files';
import { countOrderSheetLines, OrderSheetFilters } from './order-sheet-writer';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The filters of an order sheet as asked for (shipped orders by default). */
export function orderSheetFilters(query: ExportFulfillmentOrdersQueryDto): OrderSheetFilters {
  return { status: query.status ?? 'shipped', warehouseId: query.warehouseId ?? null, createdFrom: query.createdFrom ?? null, createdTo: query.createdTo ?? null };
}

/**
 * Big order sheets: asked for here (a row and its outbox event in one transaction), written by the
 * worker (`OrderSheetExportRequestedJob`), followed and fetched here. An export belongs to the
 * supplier that asked for it. The synchronous export (GET /v1/fulfillment-orders/export.xlsx)
 * refuses sheets above ORDER_SHEET_SYNC_LIMIT_LINES and points here.
 */
@Injectable()
export class OrderSheetExportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async request(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto): Promise<OrderSheetExportResponseDto> {
    const filters = orderSheetFilters(query);
    const id = await this.em.transactional(async (em) => {
      const row = await sqlOne<{ id: string }>(
        em,
        `insert into order_sheet_export (merchant_id, language, status_filter, warehouse_id, created_from, created_to, requested_by_member_id)
         values (?, ?, ?, ?, ?, ?, ?) returning id::text`,
        [actor.merchantId, query.language ?? 'zh-CN', filters.status, filters.warehouseId, filters.createdFrom, filters.createdTo, actor.memberId],
      );
      await this.outbox.append(em, [{ type: 'order_sheet_export.requested', merchantId: actor.merchantId, aggregateId: row!.id, payload: { exportId: row!.id } }]);
      return row!.id;
    });
    return toOrderSheetExportResponse(await ownOrderSheetExport(this.em, actor.merchantId, id));
  }

  async get(actor: ActorContext, exportId: string): Promise<OrderSheetExportResponseDto> {
    return toOrderSheetExportResponse(await ownOrderSheetExport(this.em, actor.merchantId, exportId));
  }

  /** The finished file to stream; 409 while it is being written, when it failed, or once its file was deleted (RETENTION_EXPORT_FILE_DAYS). */
  async openFile(actor: ActorContext, exportId: string): Promise<{ stream: ReadStream; fileName: string; size: number }> {
    const row = await ownOrderSheetExport(this.em, actor.merchantId, exportId);
    const missing = () =>
      new ConflictError(
        'order_sheet_export_file_missing',
        `The file of this export is no longer kept (files are deleted ${this.config.RETENTION_EXPORT_FILE_DAYS} days after the export finished). Ask for the export again (POST /v1/fulfillment-orders/exports).`,
      );
    if (row.file_pruned_at) throw missing();
    if (row.status !== 'done' || !row.file_path || !row.file_name) {
      throw new ConflictError(
        'order_sheet_export_not_ready',
        `The export is ${row.status}${row.status === 'failed' ? '' : ' (fetch the file when GET /v1/fulfillment-order-exports/:id says done)'}.`,
        [{ field: 'status', reason: row.status === 'failed' ? `failed: ${row.error ?? 'unknown error'}` : `current status is ${row.status}` }],
      );
    }
    const size = await stat(row.file_path).then(
      (info) => info.size,
      () => null,
    );
    if (size === null) throw missing();
    return { stream: createReadStream(row.file_path), fileName: row.file_name, size };
  }

  /** The synchronous export answers sheets up to ORDER_SHEET_SYNC_LIMIT_LINES lines; a bigger one is refused (422) before anything is written, in the request's language (zh-CN by default). */
  async assertSmallEnough(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto): Promise<void> {
    const limit = this.config.ORDER_SHEET_SYNC_LIMIT_LINES;
    const lines = await countOrderSheetLines(this.em, actor.merchantId, orderSheetFilters(query), limit);
    if (lines > limit) {
      const message =
        query.language === 'en'
          ? `This sheet has more than ${limit} lines: too many to download at once. Ask for it as an asynchronous export (POST /v1/fulfillment-orders/exports with the same filters), follow GET /v1/fulfillment-order-exports/:id and download the file when it is done; or narrow the filters (warehouse, dates).`
          : `该发货单超过 ${limit} 行，无法直接下载。请改为异步导出（以相同筛选条件调用 POST /v1/fulfillment-orders/exports），通过 GET /v1/fulfillment-order-exports/:id 查看进度，完成后下载文件；或缩小筛选范围（仓库、日期）。`;
      throw new UnprocessableError('export_too_large', message, [{ field: 'lines', reason: `more than ${limit} (ORDER_SHEET_SYNC_LIMIT_LINES)` }]);
    }
  }
}
