import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, RequirePermissions } from '@gongxiao/core';
import {
  AllocationCapResponseDto,
  AvailabilityService,
  ListingAvailabilityResponseDto,
  ListListingAvailabilityQueryDto,
  SetAllocationCapDto,
  SetStockAlertDto,
  StockAlertResponseDto,
  StockAlertsService,
} from '@gongxiao/availability';
import { CreateSubscriptionDto, SubscriptionResponseDto, WebhooksService } from '@gongxiao/webhooks';
import { StockUpdatesDto, StockUpdatesResponseDto, StockUpdatesService } from '@gongxiao/inventory';

@ApiTags('inventory')
@Controller('v1')
export class AvailabilityController {
  constructor(
    private readonly stockUpdates: StockUpdatesService,
    private readonly availability: AvailabilityService,
    private readonly stockAlerts: StockAlertsService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Put('stock-alerts')
  @RequirePermissions('catalog:write')
  @ApiOperation({ summary: 'Low-stock threshold of one of your SKUs: crossing it (low, out, restocked) raises an event for you and every merchant selling it' })
  @ApiOkResponse({ type: StockAlertResponseDto })
  @ApiErrors(400, 404)
  setStockAlert(@Actor() actor: ActorContext, @Body() input: SetStockAlertDto) {
    return this.stockAlerts.set(actor, input);
  }

  @Get('stock-alerts')
  @RequirePermissions('catalog:read')
  @ApiOperation({ summary: 'Your low-stock thresholds, by SKU' })
  @ApiPageResponse(StockAlertResponseDto)
  @ApiErrors(400)
  listStockAlerts(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.stockAlerts.list(actor, query);
  }

  @Post('webhook-subscriptions')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: 'Subscribe an endpoint to events (stock.low, stock.out, stock.restocked); the signing secret is returned once' })
  @ApiCreatedResponse({ type: SubscriptionResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400)
  subscribe(@Actor() actor: ActorContext, @Body() input: CreateSubscriptionDto) {
    return this.webhooks.createSubscription(actor, input);
  }

  @Get('webhook-subscriptions')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: 'Your webhook subscriptions, oldest first' })
  @ApiPageResponse(SubscriptionResponseDto)
  @ApiErrors(400)
  listSubscriptions(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.webhooks.listSubscriptions(actor, query);
  }

  @Delete('webhook-subscriptions/:subscriptionId')
  @RequirePermissions('merchant:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a webhook subscription' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors(404)
  async unsubscribe(@Actor() actor: ActorContext, @Param('subscriptionId') subscriptionId: string) {
    await this.webhooks.deleteSubscription(actor, subscriptionId);
  }

  @Post('stock-updates')
  @RequirePermissions('stock:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stock updates by person or ERP: absolute or delta, 1 to 5,000 per request, each with an idempotency key',
    description: 'Applied all or nothing, in order. A key applied before with the same content is reported as duplicate and changes nothing; with other content the request is refused (409).',
  })
  @ApiOkResponse({ type: StockUpdatesResponseDto })
  @ApiErrors(400, 404, 409)
  applyStockUpdates(@Actor() actor: ActorContext, @Body() input: StockUpdatesDto) {
    return this.stockUpdates.apply(actor, input);
  }

  @Put('allocation-caps')
  @RequirePermissions('offers:write')
  @ApiOperation({ summary: 'Cap what one downstream partner may sell (fixed units or a percentage), for one SKU or all' })
  @ApiOkResponse({ type: AllocationCapResponseDto })
  @ApiErrors(400, 404, 409)
  setCap(@Actor() actor: ActorContext, @Body() input: SetAllocationCapDto) {
    return this.availability.setCap(actor, input);
  }

  @Get('allocation-caps')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Allocation caps you set, oldest first' })
  @ApiPageResponse(AllocationCapResponseDto)
  @ApiErrors(400)
  listCaps(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.availability.listCaps(actor, query);
  }

  @Delete('allocation-caps/:capId')
  @RequirePermissions('offers:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an allocation cap' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(404)
  async deleteCap(@Actor() actor: ActorContext, @Param('capId') capId: string) {
    await this.availability.deleteCap(actor, capId);
  }

  @Get('listing-availability')
  @RequirePermissions('shops:manage')
  @ApiOperation({ summary: 'What each of your listings may sell now (the minimum along its chain); filter by shop and updatedSince' })
  @ApiPageResponse(ListingAvailabilityResponseDto)
  @ApiErrors(400, 404)
  listListingAvailability(@Actor() actor: ActorContext, @Query() query: ListListingAvailabilityQueryDto) {
    return this.availability.listListings(actor, query);
  }
}
