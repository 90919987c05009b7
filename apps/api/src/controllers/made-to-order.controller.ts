import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import { CancelProductionRunDto, ConfirmProductionRunDto, ListProductionRunsQueryDto, ProductionRunResponseDto, ProductionRunsService } from '@gongxiao/fulfillment';
import { MadeToOrderResponseDto, OfferMadeToOrderService, SetMadeToOrderDto } from '@gongxiao/offers';

/** Made to order (C2M): the terms on an origin offer, and the supplier's production runs. */
@ApiTags('made to order')
@Controller('v1')
export class MadeToOrderController {
  constructor(
    private readonly terms: OfferMadeToOrderService,
    private readonly runs: ProductionRunsService,
  ) {}

  @Get('offers/:offerId/made-to-order')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: MadeToOrderResponseDto })
  @ApiOperation({ summary: "Whether an offer you made is made to order, with its terms (a re-share shows its origin's)" })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.terms.ofOwn(actor, offerId);
  }

  @Put('offers/:offerId/made-to-order')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: MadeToOrderResponseDto })
  @ApiOperation({ summary: 'Make your origin offer made to order (按单生产): no stock needed; orders wait in a production run per SKU until its cut-off, then you confirm the run' })
  @ApiErrors(400, 404, 409)
  set(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: SetMadeToOrderDto) {
    return this.terms.set(actor, offerId, input);
  }

  @Delete('offers/:offerId/made-to-order')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: MadeToOrderResponseDto })
  @ApiOperation({ summary: 'Ship your origin offer from stock again (orders already waiting in a run stay there)' })
  @ApiErrors(400, 404, 409)
  remove(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.terms.remove(actor, offerId);
  }

  @Get('production-runs')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'Your made-to-order production runs (生产批次), newest first, each with its live demand per SKU option' })
  @ApiPageResponse(ProductionRunResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListProductionRunsQueryDto) {
    return this.runs.list(actor, query);
  }

  @Get('production-runs/:runId')
  @RequirePermissions('fulfillment:read')
  @ApiOkResponse({ type: ProductionRunResponseDto })
  @ApiOperation({ summary: 'A production run with its aggregated demand (units per customization)' })
  @ApiErrors(404)
  getRun(@Actor() actor: ActorContext, @Param('runId') runId: string) {
    return this.runs.get(actor, runId);
  }

  @Post('production-runs/:runId/confirm')
  @HttpCode(200)
  @RequirePermissions('fulfillment:write')
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: ProductionRunResponseDto })
  @ApiOperation({ summary: 'Confirm a closed run: its orders get a promised ship date (today + lead time) and are released to be shipped' })
  @ApiErrors(400, 404, 409)
  confirm(@Actor() actor: ActorContext, @Param('runId') runId: string, @Body() input: ConfirmProductionRunDto) {
    return this.runs.confirm(actor, runId, input);
  }

  @Post('production-runs/:runId/cancel')
  @HttpCode(200)
  @RequirePermissions('fulfillment:write')
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: ProductionRunResponseDto })
  @ApiOperation({ summary: 'Cancel a closed run below its minimum batch: its orders are cancelled through the normal path with your reason' })
  @ApiErrors(400, 404, 409)
  cancel(@Actor() actor: ActorContext, @Param('runId') runId: string, @Body() input: CancelProductionRunDto) {
    return this.runs.cancel(actor, runId, input);
  }
}
