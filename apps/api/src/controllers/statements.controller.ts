import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, RequirePermissions } from '@gongxiao/core';
import {
  DisputeStatementDto,
  EntryResponseDto,
  InvoiceRequestResponseDto,
  InvoiceRequestsService,
  IssueInvoiceDto,
  ListInvoiceRequestsQueryDto,
  ListStatementsQueryDto,
  RejectInvoiceDto,
  RequestInvoiceDto,
  StatementMovesService,
  StatementNoteDto,
  StatementQueriesService,
  StatementResponseDto,
} from '@gongxiao/settlement';

@ApiTags('statements')
@Controller('v1')
export class StatementsController {
  constructor(
    private readonly queries: StatementQueriesService,
    private readonly moves: StatementMovesService,
    private readonly invoices: InvoiceRequestsService,
  ) {}

  @Get('statements')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Monthly statements you are payee (receivable) or payer (payable) of, newest first' })
  @ApiPageResponse(StatementResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListStatementsQueryDto) {
    return this.queries.list(actor, query);
  }

  @Get('statements/:statementId')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'A statement: live totals while its month is open, frozen ones once closed' })
  @ApiOkResponse({ type: StatementResponseDto })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('statementId') statementId: string) {
    return this.queries.get(actor, statementId);
  }

  @Get('statements/:statementId/entries')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'The entry lines of a statement, oldest first: time in the payee’s zone, order, SKU, quantity, unit price, signed amount' })
  @ApiPageResponse(EntryResponseDto)
  @ApiErrors(400, 404)
  entries(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Query() query: PageQueryDto) {
    return this.queries.entries(actor, statementId, query);
  }

  @Post('statements/:statementId/issue')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Payee: issue a statement of a closed month, or re-issue a disputed one (a new revision)' })
  @ApiOkResponse({ type: StatementResponseDto })
  @ApiErrors(400, 404, 409)
  issue(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Body() input: StatementNoteDto) {
    return this.moves.issue(actor, statementId, input.note);
  }

  @Post('statements/:statementId/confirm')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Payer: confirm an issued statement (settled at once on prepaid terms or when nothing is due)' })
  @ApiOkResponse({ type: StatementResponseDto })
  @ApiErrors(404, 409)
  confirm(@Actor() actor: ActorContext, @Param('statementId') statementId: string) {
    return this.moves.confirm(actor, statementId);
  }

  @Post('statements/:statementId/dispute')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Payer: dispute lines of an issued statement; it goes back to the payee' })
  @ApiOkResponse({ type: StatementResponseDto })
  @ApiErrors(400, 404, 409)
  dispute(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Body() input: DisputeStatementDto) {
    return this.moves.dispute(actor, statementId, input);
  }

  @Post('statements/:statementId/invoice-requests')
  @RequirePermissions('finance:write')
  @ApiOperation({ summary: 'Payer: request an invoice (发票) for a settled statement, up to its due not yet requested' })
  @ApiCreatedResponse({ type: InvoiceRequestResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  requestInvoice(@Actor() actor: ActorContext, @Param('statementId') statementId: string, @Body() input: RequestInvoiceDto) {
    return this.invoices.request(actor, statementId, input);
  }

  @Get('invoice-requests')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Invoice requests made to you (receivable) or by you (payable), newest first' })
  @ApiPageResponse(InvoiceRequestResponseDto)
  @ApiErrors(400)
  listInvoices(@Actor() actor: ActorContext, @Query() query: ListInvoiceRequestsQueryDto) {
    return this.invoices.list(actor, query);
  }

  @Post('invoice-requests/:invoiceRequestId/issue')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOkResponse({ type: InvoiceRequestResponseDto })
  @ApiOperation({ summary: 'Payee: issue the requested invoice' })
  @ApiErrors(400, 404, 409)
  issueInvoice(@Actor() actor: ActorContext, @Param('invoiceRequestId') invoiceRequestId: string, @Body() input: IssueInvoiceDto) {
    return this.invoices.issue(actor, invoiceRequestId, input);
  }

  @Post('invoice-requests/:invoiceRequestId/reject')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOkResponse({ type: InvoiceRequestResponseDto })
  @ApiOperation({ summary: 'Payee: refuse an invoice request, with a reason' })
  @ApiErrors(400, 404, 409)
  rejectInvoice(@Actor() actor: ActorContext, @Param('invoiceRequestId') invoiceRequestId: string, @Body() input: RejectInvoiceDto) {
    return this.invoices.reject(actor, invoiceRequestId, input);
  }
}
