import { Body, Controller, Get, HttpCode, Logger, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, RequirePermissions } from '@gongxiao/core';
import {
  attachmentDisposition,
  ReconcileQueryDto,
  ReconciliationMappingDto,
  ReconciliationMappingResponseDto,
  ReconciliationReportResponseDto,
  ReconciliationsService,
  ReportLanguageQueryDto,
  RequestStatementExportDto,
  SettlementExportsService,
  StatementExportResponseDto,
  XLSX_CONTENT_TYPE,
} from '@gongxiao/settlement';

/** Statement files for finance: exports written by the worker, and reconciliation of a counterparty's statement. */
@ApiTags('settlement')
@Controller('v1')
export class SettlementFilesController {
  private readonly logger = new Logger('reconciliation-report');

  constructor(
    private readonly exports: SettlementExportsService,
    private readonly reconciliations: ReconciliationsService,
  ) {}

  @Post('statements/:statementId/exports')
  @RequirePermissions('finance:read')
  @HttpCode(202)
  @ApiOperation({ summary: 'Export a statement as .xlsx (summary + detail) or .csv (detail); the worker writes it — follow GET /v1/statement-exports/:id' })
  @ApiAcceptedResponse({ type: StatementExportResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409)
  requestExport(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Body() input: RequestStatementExportDto) {
    return this.exports.request(actor, statementId, input);
  }

  @Get('statement-exports/:exportId')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'An export’s status and progress; downloadUrl once done' })
  @ApiOkResponse({ type: StatementExportResponseDto })
  @ApiErrors(404)
  getExport(@Actor() actor: ActorContext, @Param('exportId') exportId: string) {
    return this.exports.get(actor, exportId);
  }

  @Get('statement-exports/:exportId/file')
  @RequirePermissions('finance:read')
  @ApiProduces(XLSX_CONTENT_TYPE, 'text/csv')
  @ApiOperation({ summary: 'The exported file (409 while it is not done)' })
  @ApiOkResponse({ description: 'The file', content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 409)
  async exportFile(@Actor() actor: ActorContext, @Param('exportId') exportId: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.exports.openFile(actor, exportId);
    await reply.header('content-type', file.contentType).header('content-length', String(file.size)).header('content-disposition', attachmentDisposition(file.fileName)).send(file.stream);
  }

  @Put('settlement/reconciliation-mappings/:counterpartyMerchantId')
  @RequirePermissions('finance:write')
  @ApiOperation({ summary: 'Save which columns of this counterparty’s statement hold the order number, SKU code, amount and quantity' })
  @ApiOkResponse({ type: ReconciliationMappingResponseDto })
  @ApiErrors(400, 404)
  saveMapping(@Actor() actor: ActorContext, @Param('counterpartyMerchantId') counterpartyMerchantId: string, @Body() input: ReconciliationMappingDto) {
    return this.reconciliations.saveMapping(actor, counterpartyMerchantId, input);
  }

  @Post('statements/:statementId/reconciliations')
  @RequirePermissions('finance:write')
  @ApiConsumes(XLSX_CONTENT_TYPE, 'text/csv')
  @ApiBody({ description: 'The counterparty’s statement file itself (.xlsx or .csv), at most UPLOAD_LIMIT_BYTES', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary: 'Match the counterparty’s statement against ours by order number and SKU: matched, amount differs, only ours, only theirs',
    description: 'The whole file is checked first: missing mapped columns or any bad row give 422 naming every one (details[].field = "row 7"), and nothing is stored.',
  })
  @ApiCreatedResponse({ type: ReconciliationReportResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 413, 415, 422)
  reconcile(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Query() query: ReconcileQueryDto, @Req() request: FastifyRequest) {
    return this.reconciliations.reconcile(actor, statementId, request.body, request.headers['content-type'], query.mapping);
  }

  @Get('reconciliations/:reconciliationId')
  @RequirePermissions('finance:read')
  @ApiOkResponse({ type: ReconciliationReportResponseDto })
  @ApiOperation({ summary: 'A reconciliation: its summary and rows' })
  @ApiErrors(404)
  getReconciliation(@Actor() actor: ActorContext, @Param('reconciliationId') reconciliationId: string) {
    return this.reconciliations.get(actor, reconciliationId);
  }

  @Get('reconciliations/:reconciliationId/report.xlsx')
  @RequirePermissions('finance:read')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: 'The match report as .xlsx (Chinese headers; ?language=en for English)' })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 404)
  async reconciliationXlsx(@Actor() actor: ActorContext, @Param('reconciliationId') reconciliationId: string, @Query() query: ReportLanguageQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const language = query.language ?? 'zh';
    const report = await this.reconciliations.get(actor, reconciliationId);
    const stream = new PassThrough();
    const name = `${language === 'zh' ? '对账结果' : 'reconciliation'}-${report.id}.xlsx`;
    void reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', attachmentDisposition(name)).send(stream);
    this.reconciliations.writeReportXlsx(actor, reconciliationId, language, stream).catch((error: unknown) => {
      this.logger.error({ err: error }, 'report failed');
      stream.destroy(error as Error);
    });
  }
}
