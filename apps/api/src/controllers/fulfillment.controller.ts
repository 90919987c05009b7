import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, RequirePermissions } from '@gongxiao/core';
import {
  AnswerInterceptionDto,
  AnswerInterceptionService,
  CancellationRatesQueryDto,
  CancellationRatesService,
  InterceptionsService,
  ExportFulfillmentOrdersQueryDto,
  InterceptionResponseDto,
  SkuCancellationRateDto,
  FulfillmentExportService,
  FulfillmentOrderResponseDto,
  OrderSheetExportResponseDto,
  OrderSheetExportsService,
  FulfillmentService,
  ListFulfillmentOrdersQueryDto,
  RecordDeliveryDto,
  RecordShipmentDto,
  ShipmentResponseDto,
} from '@gongxiao/fulfillment';
import { ListWebhookDeliveriesQueryDto, WebhookDeliveryResponseDto, WebhooksService } from '@gongxiao/webhooks';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('fulfillment')
@Controller('v1')
export class FulfillmentController {
  private readonly logger = new Logger('export');

  constructor(
    private readonly fulfillment: FulfillmentService,
    private readonly exports: FulfillmentExportService,
    private readonly sheetExports: OrderSheetExportsService,
    private readonly webhooks: WebhooksService,
    private readonly interceptions: InterceptionsService,
    private readonly answers: AnswerInterceptionService,
    private readonly rates: CancellationRatesService,
  ) {}

  @Get('interception-requests')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'Parcels you shipped whose order the consumer cancelled: try to intercept them' })
  @ApiPageResponse(InterceptionResponseDto)
  @ApiErrors(400)
  listInterceptions(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.interceptions.list(actor.merchantId, query);
  }

  @Get('quality/cancellation-rates')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'Per SKU you supply: units routed to you over the last `days` days (90 by default), cancelled before shipping, and interceptions' })
  @ApiPageResponse(SkuCancellationRateDto, 'Every SKU on one page (nextCursor is always null)')
  @ApiErrors(400)
  cancellationRates(@Actor() actor: ActorContext, @Query() query: CancellationRatesQueryDto) {
    return this.rates.cancellationRates(actor.merchantId, query.days);
  }

  @Post('interception-requests/:interceptionId/answer')
  @RequirePermissions('fulfillment:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report whether the parcel was intercepted',
    description:
      'intercepted: it comes back, and a return case opens for you to receive it; failed: it reached the consumer, and an approved return case opens for the consumer to send it back. The case opens moments after the answer (after-sales reacts to it): find it with GET /v1/returns?interceptionRequestId=<id>.',
  })
  @ApiOkResponse({ type: InterceptionResponseDto })
  @ApiErrors(400, 404, 409)
  answerInterception(@Actor() actor: ActorContext, @Param('interceptionId') interceptionId: string, @Body() input: AnswerInterceptionDto) {
    return this.answers.answer(actor, interceptionId, input.outcome, input.note ?? null);
  }

  @Get('fulfillment-orders')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: "The supplier's inbox, newest first (pending_merge orders only when asked for)" })
  @ApiPageResponse(FulfillmentOrderResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListFulfillmentOrdersQueryDto) {
    return this.fulfillment.list(actor, query);
  }

  @Get('fulfillment-orders/export.xlsx')
  @RequirePermissions('fulfillment:read')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary: 'Fulfillment order lines as an Excel file (default: shipped orders), streamed at once',
    description:
      'For sheets up to ORDER_SHEET_SYNC_LIMIT_LINES lines (20,000 by default): a bigger one is refused with 422 export_too_large before anything is sent; ask the worker for it with POST /v1/fulfillment-orders/exports.',
  })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 422)
  async exportXlsx(@Actor() actor: ActorContext, @Query() query: ExportFulfillmentOrdersQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await this.sheetExports.assertSmallEnough(actor, query);
    const stream = new PassThrough();
    const name = `fulfillment-orders-${query.status ?? 'shipped'}-${new Date().toISOString().slice(0, 10)}.xlsx`;
    void reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}"`).send(stream);
    this.exports.writeXlsx(actor, query, stream).catch((error: unknown) => {
      this.logger.error({ err: error }, 'export failed');
      stream.destroy(error as Error);
    });
  }

  @Post('fulfillment-orders/exports')
  @RequirePermissions('fulfillment:read')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask the worker for the order sheet as an .xlsx (any size; the same filters and language as GET /v1/fulfillment-orders/export.xlsx): follow GET /v1/fulfillment-order-exports/:id',
  })
  @ApiAcceptedResponse({ type: OrderSheetExportResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400)
  requestExport(@Actor() actor: ActorContext, @Body() input: ExportFulfillmentOrdersQueryDto) {
    return this.sheetExports.request(actor, input);
  }

  @Get('fulfillment-order-exports/:orderSheetExportId')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'An order-sheet export: status, lines written of lines total, percent; downloadUrl once done' })
  @ApiOkResponse({ type: OrderSheetExportResponseDto })
  @ApiErrors(404)
  getExport(@Actor() actor: ActorContext, @Param('orderSheetExportId') exportId: string) {
    return this.sheetExports.get(actor, exportId);
  }

  @Get('fulfillment-order-exports/:orderSheetExportId/file')
  @RequirePermissions('fulfillment:read')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'The order sheet written by the worker (409 while it is not done)' })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 409)
  async exportFile(@Actor() actor: ActorContext, @Param('orderSheetExportId') exportId: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.sheetExports.openFile(actor, exportId);
    await reply.header('content-type', XLSX).header('content-length', String(file.size)).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.stream);
  }

  @Get('fulfillment-orders/:fulfillmentOrderId')
  @RequirePermissions('fulfillment:read')
  @ApiOkResponse({ type: FulfillmentOrderResponseDto })
  @ApiOperation({ summary: 'A fulfillment order with its lines and shipments' })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('fulfillmentOrderId') fulfillmentOrderId: string) {
    return this.fulfillment.get(actor, fulfillmentOrderId);
  }

  @Post('fulfillment-orders/:fulfillmentOrderId/acknowledge')
  @RequirePermissions('fulfillment:write')
  @HttpCode(200)
  @ApiOkResponse({ type: FulfillmentOrderResponseDto })
  @ApiOperation({ summary: 'Supplier: acknowledge a fulfillment order' })
  @ApiErrors(404, 409)
  acknowledge(@Actor() actor: ActorContext, @Param('fulfillmentOrderId') fulfillmentOrderId: string) {
    return this.fulfillment.acknowledge(actor, fulfillmentOrderId);
  }

  @Post('fulfillment-orders/:fulfillmentOrderId/shipments')
  @RequirePermissions('fulfillment:write')
  @ApiOperation({
    summary: 'Record a parcel (carrier + tracking, lines and quantities; omit lines to ship all that remains)',
    description: '201 when recorded; 200 with the first shipment when the same tracking number is sent again.',
  })
  @ApiCreatedResponse({ type: ShipmentResponseDto, description: 'Recorded' })
  @ApiOkResponse({ type: ShipmentResponseDto, description: 'This tracking number was recorded before: the first shipment' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  async recordShipment(
    @Actor() actor: ActorContext,
    @Param('fulfillmentOrderId') fulfillmentOrderId: string,
    @Body() input: RecordShipmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentResponseDto> {
    const result = await this.fulfillment.recordShipment(actor, fulfillmentOrderId, input);
    void reply.status(result.created ? 201 : 200);
    return result.shipment;
  }

  @Post('fulfillment-orders/:fulfillmentOrderId/shipments/:shipmentId/delivered')
  @RequirePermissions('fulfillment:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'The carrier delivered this parcel: the no-reason return window of its lines starts then (else at shipment)' })
  @ApiOkResponse({ type: ShipmentResponseDto })
  @ApiErrors(400, 404, 409)
  recordDelivery(@Actor() actor: ActorContext, @Param('fulfillmentOrderId') fulfillmentOrderId: string, @Param('shipmentId') shipmentId: string, @Body() input: RecordDeliveryDto) {
    return this.fulfillment.recordDelivery(actor, fulfillmentOrderId, shipmentId, input.deliveredAt);
  }

  @Get('webhook-deliveries')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'Outgoing webhooks to your ERP endpoints and shop callbacks, with status and attempts' })
  @ApiPageResponse(WebhookDeliveryResponseDto)
  @ApiErrors(400)
  listDeliveries(@Actor() actor: ActorContext, @Query() query: ListWebhookDeliveriesQueryDto) {
    return this.webhooks.list(actor, query);
  }

  @Get('webhook-deliveries/:deliveryId')
  @RequirePermissions('fulfillment:read')
  @ApiOkResponse({ type: WebhookDeliveryResponseDto })
  @ApiOperation({ summary: 'An outgoing webhook with its attempts' })
  @ApiErrors(404)
  getDelivery(@Actor() actor: ActorContext, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.get(actor, deliveryId);
  }

  @Post('webhook-deliveries/:deliveryId/redeliver')
  @RequirePermissions('fulfillment:write')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookDeliveryResponseDto })
  @ApiOperation({ summary: 'Send an outgoing webhook again' })
  @ApiErrors(404, 409)
  redeliver(@Actor() actor: ActorContext, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.redeliver(actor, deliveryId);
  }
}
