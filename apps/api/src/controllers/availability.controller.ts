import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import {
  AllocationCapResponseDto,
  AvailabilityService,
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
  setStockAlert(@Actor() actor: ActorContext, @Body() input: SetStockAlertDto) {
    return this.stockAlerts.set(actor, input);
  }

  @Get('stock-alerts')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: [StockAlertResponseDto] })
  listStockAlerts(@Actor() actor: ActorContext) {
    return this.stockAlerts.list(actor);
  }

  @Post('webhook-subscriptions')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: 'Subscribe an endpoint to events (stock.low, stock.out, stock.restocked); the signing secret is returned once' })
  @ApiCreatedResponse({ type: SubscriptionResponseDto })
  subscribe(@Actor() actor: ActorContext, @Body() input: CreateSubscriptionDto) {
    return this.webhooks.createSubscription(actor, input);
  }

  @Get('webhook-subscriptions')
  @RequirePermissions('merchant:manage')
  @ApiOkResponse({ type: [SubscriptionResponseDto] })
  listSubscriptions(@Actor() actor: ActorContext) {
    return this.webhooks.listSubscriptions(actor);
  }

  @Delete('webhook-subscriptions/:subscriptionId')
  @RequirePermissions('merchant:manage')
  @HttpCode(204)
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
  applyStockUpdates(@Actor() actor: ActorContext, @Body() input: StockUpdatesDto) {
    return this.stockUpdates.apply(actor, input);
  }

  @Put('allocation-caps')
  @RequirePermissions('offers:write')
  @ApiOperation({ summary: 'Cap what one downstream partner may sell (fixed units or a percentage), for one SKU or all' })
  @ApiOkResponse({ type: AllocationCapResponseDto })
  setCap(@Actor() actor: ActorContext, @Body() input: SetAllocationCapDto) {
    return this.availability.setCap(actor, input);
  }

  @Get('allocation-caps')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: [AllocationCapResponseDto] })
  listCaps(@Actor() actor: ActorContext) {
    return this.availability.listCaps(actor);
  }

  @Delete('allocation-caps/:capId')
  @RequirePermissions('offers:write')
  @HttpCode(204)
  async deleteCap(@Actor() actor: ActorContext, @Param('capId') capId: string) {
    await this.availability.deleteCap(actor, capId);
  }

  @Get('listing-availability')
  @RequirePermissions('shops:manage')
  @ApiOperation({ summary: 'What each of your listings may sell now (the minimum along its chain); filter by shop and updatedSince' })
  listListingAvailability(@Actor() actor: ActorContext, @Query() query: ListListingAvailabilityQueryDto) {
    return this.availability.listListings(actor, query);
  }
}
