import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ActorContext, DomainError, money, NotFoundError, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { Writable } from 'node:stream';
import { writeReconciliationXlsx } from './reconciliation-report-sheet';
import { ExportLanguage } from './statement-export-sheets';
import { matchLines, MatchRow, OurLine } from './reconciliation-match';
import { readCounterpartyLines, ReconciliationMapping, UploadKind } from './reconciliation-file';
import { ReconciliationMappingDto, ReconciliationMappingResponseDto, ReconciliationReportResponseDto, ReconciliationRowDto } from './settlement-files.dto';
import { StatementFacts, visibleStatement } from './statement-file-facts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID = /^\d{1,18}$/;

/**
 * Reconciliation: the counterparty's own statement (.xlsx or .csv, read through a column mapping
 * saved per counterparty) matched line by line against ours, per (shop order no., SKU code). The
 * file is checked whole first; a report is stored only for a file without a bad row.
 */
@Injectable()
export class ReconciliationsService {
  constructor(private readonly em: EntityManager) {}

  /** Saves the mapping for a counterparty the merchant has statements with (anyone else: not found). */
  async saveMapping(actor: ActorContext, counterpartyMerchantId: string, input: ReconciliationMappingDto): Promise<ReconciliationMappingResponseDto> {
    const known =
      ID.test(counterpartyMerchantId) &&
      (await sqlOne(this.em, `select 1 from statement where (seller_merchant_id = ? and buyer_merchant_id = ?) or (seller_merchant_id = ? and buyer_merchant_id = ?) limit 1`, [
        actor.merchantId,
        counterpartyMerchantId,
        counterpartyMerchantId,
        actor.merchantId,
      ]));
    if (!known) throw new NotFoundError('counterparty', counterpartyMerchantId);
    const mapping = mappingOf(input);
    const row = await sqlOne<{ updated_at: Date }>(
      this.em,
      `insert into reconciliation_mapping (merchant_id, counterparty_merchant_id, mapping) values (?, ?, ?::jsonb)
       on conflict (merchant_id, counterparty_merchant_id) do update set mapping = excluded.mapping, updated_at = now()
       returning updated_at`,
      [actor.merchantId, counterpartyMerchantId, JSON.stringify(mapping)],
    );
    return { ...mapping, counterpartyMerchantId, updatedAt: new Date(row!.updated_at).toISOString() };
  }

  async reconcile(actor: ActorContext, statementId: string, file: unknown, contentType: string | undefined, mappingJson?: string): Promise<ReconciliationReportResponseDto> {
    const statement = await visibleStatement(this.em, actor.merchantId, statementId);
    const kind = uploadKind(contentType);
    if (!Buffer.isBuffer(file) || file.length === 0) throw ValidationFailedError.field('body', 'send the file itself as the request body (.xlsx or .csv)', 'reconciliation_file_missing');
    const mapping = mappingJson !== undefined ? parseMapping(mappingJson) : await this.savedMapping(actor, statement);
    const theirs = await readCounterpartyLines(file, kind, mapping);
    const { summary, rows } = matchLines(await this.ourLines(statement, mapping.skuCode !== undefined), theirs);
    const currency = statement.currency;
    const stored = {
      summary: { ...summary, oursTotal: money(summary.oursTotal, currency), theirsTotal: money(summary.theirsTotal, currency) },
      rows: rows.map((row) => toRowResponse(row, currency)),
    };
    const report = await sqlOne<{ id: string; created_at: Date }>(
      this.em,
      `insert into reconciliation_report (merchant_id, statement_id, summary, rows) values (?, ?, ?::jsonb, ?::jsonb) returning id::text, created_at`,
      [actor.merchantId, statement.id, JSON.stringify(stored.summary), JSON.stringify(stored.rows)],
    );
    return { id: report!.id, statementId: statement.id, ...stored, createdAt: new Date(report!.created_at).toISOString() };
  }

  /** A report, only for the merchant that made it. */
  async get(actor: ActorContext, reportId: string): Promise<ReconciliationReportResponseDto> {
    const row = ID.test(reportId)
      ? await sqlOne<{ id: string; statement_id: string; summary: ReconciliationReportResponseDto['summary']; rows: ReconciliationRowDto[]; created_at: Date }>(
          this.em,
          `select id::text, statement_id::text, summary, rows, created_at from reconciliation_report where id = ? and merchant_id = ?`,
          [reportId, actor.merchantId],
        )
      : undefined;
    if (!row) throw new NotFoundError('reconciliation', reportId);
    return { id: row.id, statementId: row.statement_id, summary: row.summary, rows: row.rows, createdAt: new Date(row.created_at).toISOString() };
  }

  /** The report as .xlsx, written to `output`. */
  async writeReportXlsx(actor: ActorContext, reportId: string, language: ExportLanguage, output: Writable): Promise<void> {
    const report = await this.get(actor, reportId);
    await writeReconciliationXlsx(report, report.summary.oursTotal.currency, language, output);
  }

  private async savedMapping(actor: ActorContext, statement: StatementFacts): Promise<ReconciliationMapping> {
    const counterparty = statement.seller_merchant_id === actor.merchantId ? statement.buyer_merchant_id : statement.seller_merchant_id;
    const row = await sqlOne<{ mapping: ReconciliationMapping }>(this.em, `select mapping from reconciliation_mapping where merchant_id = ? and counterparty_merchant_id = ?`, [
      actor.merchantId,
      counterparty,
    ]);
    if (!row) {
      throw ValidationFailedError.field(
        'mapping',
        `no column mapping is saved for merchant ${counterparty}: save one with PUT /v1/settlement/reconciliation-mappings/${counterparty}, or pass ?mapping={...}`,
        'reconciliation_mapping_missing',
      );
    }
    return row.mapping;
  }

  /** Our entries with a shop order number, per (order no., SKU code) or per order: signed amount and units of goods. */
  private async ourLines(statement: StatementFacts, bySku: boolean): Promise<OurLine[]> {
    const rows = await sqlRows<{ order_number: string; sku_code: string | null; amount: string; quantity: number }>(
      this.em,
      `select external_order_id as order_number, ${bySku ? `coalesce(sku_code, '')` : 'null::text'} as sku_code,
              sum(case when debit_account = 'receivable' then amount else -amount end)::text as amount,
              coalesce(sum(case when kind = 'goods' then quantity when kind = 'refund' then -quantity else 0 end), 0)::int as quantity
         from ledger_entry where statement_id = ? and external_order_id is not null
        group by 1, 2 order by min(id)`,
      [statement.id],
    );
    return rows.map((row) => ({ orderNumber: row.order_number, skuCode: row.sku_code, amount: BigInt(row.amount), quantity: row.quantity }));
  }
}

function uploadKind(contentType: string | undefined): UploadKind {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === XLSX_CONTENT_TYPE) return 'xlsx';
  if (type === 'text/csv') return 'csv';
  throw new DomainError('unsupported_media_type', 'unsupported_media_type', `Send the counterparty's statement as the body with Content-Type ${XLSX_CONTENT_TYPE} (.xlsx) or text/csv (.csv).`);
}

function mappingOf(input: ReconciliationMappingDto): ReconciliationMapping {
  const { orderNumber, skuCode, amount, quantity, sheet } = input;
  return JSON.parse(JSON.stringify({ orderNumber, skuCode, amount, quantity, sheet })) as ReconciliationMapping;
}

/** The `mapping` query parameter: JSON of a mapping, checked like the saved one. */
function parseMapping(json: string): ReconciliationMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw ValidationFailedError.field('mapping', 'must be JSON like {"orderNumber":"订单号","amount":"金额"}');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw ValidationFailedError.field('mapping', 'must be a JSON object');
  const dto = plainToInstance(ReconciliationMappingDto, value);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new ValidationFailedError(
      'The mapping is not valid.',
      errors.map((error) => ({ field: `mapping.${error.property}`, reason: Object.values(error.constraints ?? {}).join('; ') })),
    );
  }
  return mappingOf(dto);
}

function toRowResponse(row: MatchRow, currency: string): ReconciliationRowDto {
  const amount = (value: bigint | null) => (value === null ? null : money(value, currency));
  return {
    orderNumber: row.orderNumber,
    skuCode: row.skuCode,
    status: row.status,
    ours: amount(row.ourAmount),
    theirs: amount(row.theirAmount),
    difference: amount(row.difference),
    ourQuantity: row.ourQuantity,
    theirQuantity: row.theirQuantity,
    rowNumber: row.rowNumber,
  };
}
