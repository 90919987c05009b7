import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createReadStream, ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ActorContext, ConflictError, OutboxService, sqlOne } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { RequestStatementExportDto, StatementExportResponseDto } from './settlement-files.dto';
import { visibleStatement } from './statement-file-facts';
import { ownExport, toExportResponse } from './statement-export-files';

/**
 * Statement files: asked for here (a row and its outbox event in one transaction), written by the
 * worker (`StatementExportRequestedJob`), followed and fetched here. An export belongs to the
 * merchant that asked for it.
 */
@Injectable()
export class SettlementExportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly merchants: MerchantsService,
  ) {}

  async request(actor: ActorContext, statementId: string, input: RequestStatementExportDto): Promise<StatementExportResponseDto> {
    const statement = await visibleStatement(this.em, actor.merchantId, statementId);
    const names = await this.merchants.namesOf([statement.seller_merchant_id, statement.buyer_merchant_id]);
    const id = await this.em.transactional(async (em) => {
      const row = await sqlOne<{ id: string }>(
        em,
        `insert into statement_export (merchant_id, statement_id, format, language, payee_name, payer_name, requested_by_member_id)
         values (?, ?, ?, ?, ?, ?, ?) returning id::text`,
        [actor.merchantId, statement.id, input.format, input.language ?? 'zh', names.get(statement.seller_merchant_id) ?? '', names.get(statement.buyer_merchant_id) ?? '', actor.memberId],
      );
      await this.outbox.append(em, [{ type: 'statement_export.requested', merchantId: actor.merchantId, aggregateId: row!.id, payload: { exportId: row!.id } }]);
      return row!.id;
    });
    return toExportResponse(await ownExport(this.em, actor.merchantId, id));
  }

  async get(actor: ActorContext, exportId: string): Promise<StatementExportResponseDto> {
    return toExportResponse(await ownExport(this.em, actor.merchantId, exportId));
  }

  /** The finished file to stream; 409 while it is being written or when it failed. */
  async openFile(actor: ActorContext, exportId: string): Promise<{ stream: ReadStream; fileName: string; contentType: string; size: number }> {
    const row = await ownExport(this.em, actor.merchantId, exportId);
    if (row.status !== 'done' || !row.file_path || !row.file_name) {
      throw new ConflictError('statement_export_not_ready', `The export is ${row.status}${row.status === 'failed' ? '' : ' (fetch the file when GET /v1/statement-exports/:id says done)'}.`, [
        { field: 'status', reason: row.status === 'failed' ? `failed: ${row.error ?? 'unknown error'}` : `current status is ${row.status}` },
      ]);
    }
    const size = await stat(row.file_path).then(
      (info) => info.size,
      () => null,
    );
    if (size === null) throw new ConflictError('statement_export_file_missing', 'The file of this export is no longer kept. Ask for the export again (POST /v1/statements/:id/exports).');
    const contentType = row.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
    return { stream: createReadStream(row.file_path), fileName: row.file_name, contentType, size };
  }
}
