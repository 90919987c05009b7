import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { verifiedShopPush } from './json-body';
import {
  Actor,
  ActorContext,
  ApiErrors,
  ApiIdempotencyKey,
  ApiPageResponse,
  ApiSignedPush,
  DomainError,
  Public,
  PushFailureThrottle,
  RequirePermissions,
  validateBody,
  whenNotFound,
} from '@gongxiao/core';
import { ChannelsService } from '@gongxiao/channels';
import { MerchantsService } from '@gongxiao/merchants';
import { CancellationOutcomeDto, CancelOrderDto, CancelOrderService, FulfillmentService, ChannelOrderServiceStandard, ChannelOrderStandardsService } from '@gongxiao/fulfillment';
import {
  ChannelOrderResponseDto,
  CorrectLineCustomizationDto,
  CreateManualOrderDto,
  LineCustomizationService,
  ListChannelOrdersQueryDto,
  OrdersService,
  PushOrderDto,
  PushReceiptDto,
} from '@gongxiao/orders';

@ApiTags('orders')
@Controller('v1')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
    private readonly fulfillment: FulfillmentService,
    private readonly cancellations: CancelOrderService,
    private readonly pushFailures: PushFailureThrottle,
    private readonly merchants: MerchantsService,
    private readonly standards: ChannelOrderStandardsService,
    private readonly lineCustomizations: LineCustomizationService,
  ) {}

  @Post('shops/:shopId/orders/:externalOrderId/cancel')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A shop pushes a cancellation (signed like order pushes; idempotent)',
    description: 'Stops every fulfillment order not yet shipped at once; for parcels already shipped the supplier is asked to intercept them.',
  })
  @ApiOkResponse({ type: CancellationOutcomeDto })
  @ApiSignedPush()
  @ApiBody({ type: CancelOrderDto, required: false, description: 'Omit (or send {}) to cancel the whole order' })
  @ApiErrors(400, 401, 404, 409, 413, 415, 429)
  async pushCancellation(
    @Param('shopId') shopId: string,
    @Param('externalOrderId') externalOrderId: string,
    @Headers('x-gongxiao-timestamp') timestamp: string | undefined,
    @Headers('x-gongxiao-signature') signature: string | undefined,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Body() body: Record<string, unknown>,
  ): Promise<CancellationOutcomeDto> {
    const shop = await verifiedShopPush(this.channels, this.pushFailures, { request, shopId, timestamp, signature });
    const input = await validateBody(CancelOrderDto, body === undefined ? {} : body);
    if (input.lines && !input.cancellationId) {
      throw new DomainError('invalid', 'validation_failed', 'A partial cancellation pushed by a shop needs its cancellationId, so that a repeat changes nothing.', [
        { field: 'cancellationId', reason: 'required with lines' },
      ]);
    }
    const channelOrderId = await this.orders.idOfExternal(shop.id, externalOrderId);
    return this.cancellations.cancel(shop.merchantId, channelOrderId, input, true);
  }

  @Post('channel-orders/:channelOrderId/cancel')
  @RequirePermissions('orders:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order: stops what has not shipped, requests interception of what has' })
  @ApiOkResponse({ type: CancellationOutcomeDto })
  @ApiErrors(400, 404, 409)
  cancel(@Actor() actor: ActorContext, @Param('channelOrderId') channelOrderId: string, @Body() input: CancelOrderDto) {
    return this.cancellations.cancel(actor.merchantId, channelOrderId, input, false);
  }

  @Post('shops/:shopId/orders')
  @Public()
  @ApiOperation({
    summary: 'A shop pushes an order (signed webhook)',
    description:
      'Sign with the shop webhook secret: X-Gongxiao-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">, X-Gongxiao-Timestamp: Unix seconds (±5 min). ' +
      'Idempotent on externalOrderId: 202 on first receipt, 200 with the same order when pushed again, 409 when pushed again with other content.',
  })
  @ApiBody({ type: PushOrderDto })
  @ApiAcceptedResponse({ type: PushReceiptDto })
  @ApiSignedPush()
  @ApiOkResponse({ type: PushReceiptDto, description: 'Pushed before with the same content: the same order' })
  @ApiErrors(400, 401, 404, 409, 413, 415, 422, 429)
  async push(
    @Param('shopId') shopId: string,
    @Headers('x-gongxiao-timestamp') timestamp: string | undefined,
    @Headers('x-gongxiao-signature') signature: string | undefined,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: Record<string, unknown>,
  ): Promise<PushReceiptDto> {
    const shop = await verifiedShopPush(this.channels, this.pushFailures, { request, shopId, timestamp, signature }, 'order');
    const input = await validateBody(PushOrderDto, body);
    const result = await this.orders.ingest({ id: shop.id, merchantId: shop.merchantId }, input, 'push', body);
    void reply.status(result.created ? 202 : 200);
    return result.receipt;
  }

  @Post('channel-orders')
  @RequirePermissions('orders:write')
  @ApiOperation({ summary: 'Enter an order for one of your shops by hand', description: '201 when created, 200 with the same order when this externalOrderId was already received.' })
  @ApiCreatedResponse({ type: PushReceiptDto, description: 'Created' })
  @ApiOkResponse({ type: PushReceiptDto, description: 'This externalOrderId was received before: the same order' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  async createManual(@Actor() actor: ActorContext, @Body() input: CreateManualOrderDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PushReceiptDto> {
    const shop = await whenNotFound(
      this.channels.findShop(actor, input.shopId),
      () => new DomainError('not_found', 'shop_not_found', `You have no shop ${input.shopId}.`, [{ field: 'shopId', reason: 'not one of your shops' }]),
    );
    const { shopId: _shopId, ...order } = input;
    const result = await this.orders.ingest({ id: shop.id, merchantId: shop.merchantId }, order as CreateManualOrderDto, 'manual', order);
    void reply.status(result.created ? 201 : 200);
    return result.receipt;
  }

  @Get('channel-orders')
  @RequirePermissions('orders:read')
  @ApiOperation({ summary: 'Orders of your shops, newest first' })
  @ApiPageResponse(ChannelOrderResponseDto)
  @ApiErrors(400)
  async list(@Actor() actor: ActorContext, @Query() query: ListChannelOrdersQueryDto) {
    const onlyIds = query.overdue === 'true' ? await this.standards.overdueOrderIds(actor) : undefined;
    const page = await this.orders.list(actor, query, onlyIds);
    const standards = await this.standards.standardsOf(
      actor,
      page.data.map((order) => order.id),
    );
    return { ...page, data: page.data.map((order) => ({ ...order, ...standardFields(standards.get(order.id)) })) };
  }

  @Get('channel-orders/:channelOrderId')
  @RequirePermissions('orders:read')
  @ApiOkResponse({ type: ChannelOrderResponseDto, description: 'With lines, the price you pay per line and carrier/tracking per line' })
  @ApiOperation({ summary: 'An order of your shop, with its lines' })
  @ApiErrors(404)
  async get(@Actor() actor: ActorContext, @Param('channelOrderId') channelOrderId: string): Promise<ChannelOrderResponseDto> {
    const order = await this.orders.get(actor, channelOrderId);
    const tracking = await this.fulfillment.trackingForChannelOrder(actor, order.id);
    const standard = (await this.standards.standardsOf(actor, [order.id])).get(order.id);
    // The distributor's own sellers (hop 0) by name: its partners, never a hop further up.
    const sellers = await this.merchants.namesOf([...new Set([...tracking.values()].flatMap((line) => (line.sellerMerchantId ? [line.sellerMerchantId] : [])))]);
    return {
      ...order,
      ...standardFields(standard),
      lines: order.lines.map((line) => {
        const routed = tracking.get(line.id);
        return {
          ...line,
          supplyPrice: routed?.supplyPrice ?? null,
          shipments: routed?.shipments ?? [],
          sellerName: routed?.sellerMerchantId ? (sellers.get(routed.sellerMerchantId) ?? null) : null,
          fulfillmentOrderId: routed?.fulfillmentOrderId ?? null,
          routedCustomization: routed?.customization.values ?? null,
          customizationLabel: routed?.customization.label ?? null,
          customizationExtra: routed?.customization.extra ?? null,
        };
      }),
    };
  }

  @Post('channel-orders/:channelOrderId/retry')
  @RequirePermissions('orders:write')
  @HttpCode(200)
  @ApiOkResponse({ type: ChannelOrderResponseDto, description: 'An order held as an exception is routed again' })
  @ApiOperation({ summary: 'Route again an order held as an exception' })
  @ApiErrors(404, 409)
  retry(@Actor() actor: ActorContext, @Param('channelOrderId') channelOrderId: string) {
    return this.orders.retry(actor, channelOrderId);
  }

  @Put('channel-orders/:channelOrderId/lines/:lineId/customization')
  @RequirePermissions('orders:write')
  @ApiOkResponse({ type: ChannelOrderResponseDto, description: 'The order with the corrected line; retry it to route it again' })
  @ApiOperation({ summary: "Correct a line's light customization (轻定制) while the order is held as an exception" })
  @ApiErrors(400, 404, 409)
  async correctCustomization(
    @Actor() actor: ActorContext,
    @Param('channelOrderId') channelOrderId: string,
    @Param('lineId') lineId: string,
    @Body() input: CorrectLineCustomizationDto,
  ): Promise<ChannelOrderResponseDto> {
    await this.lineCustomizations.correct(actor, channelOrderId, lineId, input);
    return this.orders.get(actor, channelOrderId);
  }
}

/** What a distributor's order shows of its fulfillment: ship-by, overdue, and made-to-order production. */
function standardFields(standard: ChannelOrderServiceStandard | undefined) {
  return { shipBy: standard?.shipBy ?? null, overdue: standard?.overdue ?? false, inProduction: standard?.inProduction ?? false, promisedShipDate: standard?.promisedShipDate ?? null };
}
