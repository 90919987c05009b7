import { Body, Controller, Get, Logger, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import {
  ListOrderSheetBatchesQueryDto,
  OrderSheetBatchesService,
  OrderSheetBatchFileQueryDto,
  OrderSheetBatchResponseDto,
  OrderSheetCutterService,
  PutSheetScheduleDto,
  SheetSchedulesService,
  SheetScheduleResponseDto,
} from '@gongxiao/fulfillment';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Scheduled order-sheet batches per warehouse (发货单批次): the schedule, the batches and their files. */
@ApiTags('fulfillment')
@Controller('v1')
export class OrderSheetBatchesController {
  private readonly logger = new Logger('order-sheet-batches');

  constructor(
    private readonly schedules: SheetSchedulesService,
    private readonly cutter: OrderSheetCutterService,
    private readonly batches: OrderSheetBatchesService,
  ) {}

  @Get('warehouses/:warehouseId/sheet-schedule')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: "When this warehouse's order-sheet batches are cut (times of day in a time zone)" })
  @ApiOkResponse({ type: SheetScheduleResponseDto })
  @ApiErrors(404)
  getSchedule(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.schedules.get(actor, warehouseId);
  }

  @Put('warehouses/:warehouseId/sheet-schedule')
  @RequirePermissions('fulfillment:write')
  @ApiOperation({
    summary: "Set when this warehouse's order-sheet batches are cut",
    description: 'Up to 12 times of day (HH:MM) in timeZone (default your merchant’s). Counted from now: a time already past today is next cut tomorrow. [] stops the schedule.',
  })
  @ApiOkResponse({ type: SheetScheduleResponseDto })
  @ApiErrors(400, 404)
  putSchedule(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string, @Body() input: PutSheetScheduleDto) {
    return this.schedules.put(actor, warehouseId, input);
  }

  @Post('warehouses/:warehouseId/order-sheet-batches')
  @RequirePermissions('fulfillment:write')
  @ApiOperation({
    summary: 'Cut an order-sheet batch now',
    description: 'Takes every order released to this warehouse and in no batch yet, and lists the orders of earlier batches cancelled since. 409 when there is neither.',
  })
  @ApiCreatedResponse({ type: OrderSheetBatchResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(404, 409)
  cutNow(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.cutter.cutNow(actor, warehouseId);
  }

  @Get('order-sheet-batches')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'Your order-sheet batches, newest first' })
  @ApiPageResponse(OrderSheetBatchResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListOrderSheetBatchesQueryDto) {
    return this.batches.list(actor, query);
  }

  @Get('order-sheet-batches/:batchId')
  @RequirePermissions('fulfillment:read')
  @ApiOperation({ summary: 'An order-sheet batch' })
  @ApiOkResponse({ type: OrderSheetBatchResponseDto })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('batchId') batchId: string) {
    return this.batches.get(actor, batchId);
  }

  @Get('order-sheet-batches/:batchId/file.xlsx')
  @RequirePermissions('fulfillment:read')
  @ApiProduces(XLSX)
  @ApiOperation({
    summary: "An order-sheet batch's Excel file (re-downloadable any time)",
    description: 'Sheet 1 发货单: the batch’s orders as they are now (one row per parcel once shipped). Sheet 2 已取消 请勿发货: orders of earlier batches cancelled since. English with language=en.',
  })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 404)
  async file(@Actor() actor: ActorContext, @Param('batchId') batchId: string, @Query() query: OrderSheetBatchFileQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const batch = await this.batches.openFile(actor, batchId);
    const stream = new PassThrough();
    const name = `order-sheet-batch-${batch.warehouse_id}-${batch.number}.xlsx`;
    void reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}"`).send(stream);
    this.batches.writeFile(batch, query.language ?? 'zh-CN', stream).catch((error: unknown) => {
      this.logger.error({ err: error }, 'batch file failed');
      stream.destroy(error as Error);
    });
  }
}
