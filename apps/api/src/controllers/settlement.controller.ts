import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import {
  AdjustmentDto,
  AdjustmentsService,
  BalanceResponseDto,
  BalancesQueryDto,
  BalancesViewService,
  ClosedPeriodResponseDto,
  ClosePeriodService,
  EntryResponseDto,
  ListAdjustmentsQueryDto,
  ListPaymentsQueryDto,
  MarginsQueryDto,
  MarginsResponseDto,
  MarginsService,
  PaymentResponseDto,
  PaymentTermsDto,
  PaymentTermsService,
  PeriodsPageDto,
  RecordPaymentDto,
  RecordPaymentService,
  SettlementSettingsDto,
  SettlementSettingsResponseDto,
  SettlementSettingsService,
} from '@gongxiao/settlement';

@ApiTags('settlement')
@Controller('v1')
export class SettlementController {
  constructor(
    private readonly terms: PaymentTermsService,
    private readonly balances: BalancesViewService,
    private readonly payments: RecordPaymentService,
    private readonly adjustments: AdjustmentsService,
    private readonly settings: SettlementSettingsService,
    private readonly closing: ClosePeriodService,
    private readonly margins: MarginsService,
  ) {}

  @Put('partnerships/:partnershipId/payment-terms')
  @RequirePermissions('finance:write')
  @ApiOperation({
    summary: 'Set how your downstream partner pays you: on account (with an optional credit limit) or prepaid',
    description: 'Upstream side only. The credit limit is in the partnership currency; none means unlimited. More room for the buyer re-routes its orders held for insufficient funds.',
  })
  @ApiOkResponse({ type: BalanceResponseDto })
  @ApiErrors(400, 404, 409)
  setPaymentTerms(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string, @Body() input: PaymentTermsDto) {
    return this.terms.set(actor, partnershipId, input);
  }

  @Get('settlement/balances')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Balances per counterparty and currency: what buyers owe you (receivable) or you owe suppliers (payable)' })
  @ApiPageResponse(BalanceResponseDto)
  @ApiErrors(400)
  listBalances(@Actor() actor: ActorContext, @Query() query: BalancesQueryDto) {
    return this.balances.list(actor, query);
  }

  @Post('settlement/payments')
  @RequirePermissions('finance:write')
  @ApiOperation({
    summary: 'Record money a buyer paid you: a payment against a confirmed statement, or a prepaid top-up',
    description: 'Payments: at most what is left to pay; paid in full, the statement is settled. Top-ups: prepaid terms only. Send an Idempotency-Key to retry safely.',
  })
  @ApiCreatedResponse({ type: PaymentResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  recordPayment(@Actor() actor: ActorContext, @Body() input: RecordPaymentDto) {
    return this.payments.record(actor, input);
  }

  @Get('settlement/payments')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Payments and top-ups you received (receivable, default) or made (payable), newest first' })
  @ApiPageResponse(PaymentResponseDto)
  @ApiErrors(400)
  listPayments(@Actor() actor: ActorContext, @Query() query: ListPaymentsQueryDto) {
    return this.payments.list(actor, query);
  }

  @Post('settlement/adjustments')
  @RequirePermissions('finance:write')
  @ApiOperation({ summary: 'Charge or credit a buyer of yours by hand, with a reason (lands in your open month)' })
  @ApiCreatedResponse({ type: EntryResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  postAdjustment(@Actor() actor: ActorContext, @Body() input: AdjustmentDto) {
    return this.adjustments.post(actor, input);
  }

  @Get('settlement/adjustments')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Manual adjustments you made or received, with who made them and why, newest first' })
  @ApiPageResponse(EntryResponseDto)
  @ApiErrors(400)
  listAdjustments(@Actor() actor: ActorContext, @Query() query: ListAdjustmentsQueryDto) {
    return this.adjustments.list(actor, query);
  }

  @Get('settlement/settings')
  @RequirePermissions('finance:read')
  @ApiOkResponse({ type: SettlementSettingsResponseDto })
  @ApiOperation({ summary: 'Your settlement time zone and auto-close delay' })
  @ApiErrors(404)
  getSettings(@Actor() actor: ActorContext) {
    return this.settings.get(actor);
  }

  @Put('settlement/settings')
  @RequirePermissions('finance:write')
  @ApiOperation({ summary: 'Your settlement time zone and how many days after a month ends it closes by itself (null: never)' })
  @ApiOkResponse({ type: SettlementSettingsResponseDto })
  @ApiErrors(400, 409)
  updateSettings(@Actor() actor: ActorContext, @Body() input: SettlementSettingsDto) {
    return this.settings.update(actor, input);
  }

  @Get('settlement/periods')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Your months as payee, open or closed, newest first' })
  @ApiOkResponse({ type: PeriodsPageDto })
  @ApiErrors(404)
  listPeriods(@Actor() actor: ActorContext) {
    return this.settings.periods(actor);
  }

  @Post('settlement/periods/:period/close')
  @RequirePermissions('finance:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close a month (YYYY-MM) that has ended in your time zone: its statements’ totals freeze; later entries land in the next open month',
    description: 'Months close in order; closing one twice is a 409.',
  })
  @ApiOkResponse({ type: ClosedPeriodResponseDto })
  @ApiErrors(400, 409, 422)
  closePeriod(@Actor() actor: ActorContext, @Param('period') period: string) {
    return this.closing.close(actor, period);
  }

  @Get('settlement/margins')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Your margin for a month: billed downstream − owed upstream, by partner and by SKU (your own hops only)' })
  @ApiOkResponse({ type: MarginsResponseDto })
  @ApiErrors(400)
  getMargins(@Actor() actor: ActorContext, @Query() query: MarginsQueryDto) {
    return this.margins.margins(actor, query);
  }
}
