import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import {
  DecideReturnDto,
  ListReturnsQueryDto,
  OpenedReturnsDto,
  OpenReturnDto,
  ReceiveReturnDto,
  RefundReturnDto,
  ReturnRatesDto,
  ReturnResponseDto,
  OpenReturnService,
  ReceiveReturnService,
  RefundService,
  ReturnDecisionsService,
  ReturnQueriesService,
  ReturnRatesService,
  ReturnShipmentDto,
} from '@gongxiao/aftersales';

@ApiTags('after-sales')
@Controller('v1')
export class ReturnsController {
  constructor(
    private readonly opening: OpenReturnService,
    private readonly queries: ReturnQueriesService,
    private readonly decisions: ReturnDecisionsService,
    private readonly receipts: ReceiveReturnService,
    private readonly refunds: RefundService,
    private readonly rates: ReturnRatesService,
  ) {}

  @Post('channel-orders/:channelOrderId/returns')
  @RequirePermissions('orders:write')
  @ApiOperation({
    summary: 'Open a return for shipped units of your order (refund only, or return and refund)',
    description:
      'One case per supplier whose goods are returned. Inside the no-reason window (per offer, default 7 days after delivery or shipment) the case is approved at once; outside it, it waits for the supplier.',
  })
  @ApiCreatedResponse({ type: OpenedReturnsDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  open(@Actor() actor: ActorContext, @Param('channelOrderId') channelOrderId: string, @Body() input: OpenReturnDto) {
    return this.opening.open(actor, channelOrderId, input);
  }

  @Get('returns')
  @RequirePermissions('aftersales:read')
  @ApiOperation({
    summary: 'Return cases you take part in (as distributor, broker or supplier), newest first',
    description: 'Filters: status, channelOrderId (distributors), interceptionRequestId (the case an answered interception opened, moments after the answer).',
  })
  @ApiPageResponse(ReturnResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListReturnsQueryDto) {
    return this.queries.list(actor, query);
  }

  @Get('quality/return-rates')
  @RequirePermissions('aftersales:read')
  @ApiOperation({ summary: 'Per SKU you supply: units shipped, returned (cases not rejected or withdrawn), and the rate' })
  @ApiOkResponse({ type: ReturnRatesDto })
  @ApiErrors(400)
  returnRates(@Actor() actor: ActorContext) {
    return this.rates.returnRates(actor.merchantId);
  }

  @Get('returns/:returnId')
  @RequirePermissions('aftersales:read')
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiOperation({ summary: 'A return case' })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('returnId') returnId: string) {
    return this.queries.get(actor, returnId);
  }

  @Post('returns/:returnId/approve')
  @RequirePermissions('aftersales:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Supplier: accept a return that waits for you (past its decideBy deadline the sweep approves it automatically)' })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiErrors(400, 404, 409)
  approve(@Actor() actor: ActorContext, @Param('returnId') returnId: string, @Body() input: DecideReturnDto) {
    return this.decisions.approve(actor, returnId, input.reason);
  }

  @Post('returns/:returnId/reject')
  @RequirePermissions('aftersales:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Supplier: refuse a return that waits for you (reason required; 409 return_decision_overdue past its decideBy deadline)' })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiErrors(400, 404, 409)
  reject(@Actor() actor: ActorContext, @Param('returnId') returnId: string, @Body() input: DecideReturnDto) {
    return this.decisions.reject(actor, returnId, input.reason);
  }

  @Post('returns/:returnId/withdraw')
  @RequirePermissions('aftersales:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Distributor: take back a case nothing has come back or been refunded for' })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiErrors(404, 409)
  withdraw(@Actor() actor: ActorContext, @Param('returnId') returnId: string) {
    return this.decisions.withdraw(actor, returnId);
  }

  @Post('returns/:returnId/return-shipment')
  @RequirePermissions('aftersales:write')
  @HttpCode(200)
  @ApiOperation({ summary: "Distributor: the consumer's return parcel (carrier and tracking)" })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiErrors(400, 404, 409)
  recordReturnShipment(@Actor() actor: ActorContext, @Param('returnId') returnId: string, @Body() input: ReturnShipmentDto) {
    return this.decisions.recordReturnShipment(actor, returnId, input);
  }

  @Post('returns/:returnId/receive')
  @RequirePermissions('aftersales:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Supplier: the goods are back; restock them (stock movement) or not, all of them or per line',
    description:
      'restock: all units or none; lines: [{lineId, restockQuantity}] per line (0 to the units returned on it; lines not named follow restock, default none). 422 names a line not in the case or too many units.',
  })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiErrors(400, 404, 409, 422)
  receive(@Actor() actor: ActorContext, @Param('returnId') returnId: string, @Body() input: ReceiveReturnDto) {
    return this.receipts.receive(actor, returnId, input);
  }

  @Post('returns/:returnId/refund')
  @RequirePermissions('aftersales:refund')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Supplier: refund, in full or in part; every hop below refunds its buyer in the same proportion',
    description:
      'A refund-only case once approved; a return once received. A partially refunded case may be topped up with another refund (amount: what to add; omitted: everything left), allocated down the chain the same way; each hop never more than its buyer paid in all (422 names the most that can still be refunded). Send an Idempotency-Key to retry safely.',
  })
  @ApiOkResponse({ type: ReturnResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  refund(@Actor() actor: ActorContext, @Param('returnId') returnId: string, @Body() input: RefundReturnDto) {
    return this.refunds.refund(actor, returnId, input);
  }
}
