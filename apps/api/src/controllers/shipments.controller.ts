import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, RequirePermissions } from '@gongxiao/core';
import { BULK_SHIPMENT_MAX_ROWS, BulkShipmentReportDto, BulkShipmentsDto, BulkShipmentsService } from '@gongxiao/fulfillment';

@ApiTags('fulfillment')
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly bulk: BulkShipmentsService) {}

  @Post('bulk')
  @RequirePermissions('fulfillment:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record many parcels at once (an ERP’s tracking backfill): every row validated, then applied by mode',
    description: [
      `Up to ${BULK_SHIPMENT_MAX_ROWS} rows; rows with the same fulfillmentOrderId + carrier + trackingNumber are one parcel with several lines.`,
      'A row without skuCode/lineId ships all the rest of the order; a SKU without quantity ships all that is left of it.',
      'Every row is validated first (order yours and not cancelled, SKU a line of it, quantity within what is left counting the other rows, carrier known, tracking number plausible, no duplicate rows, one tracking number for one order only).',
      'Always 200 with the report, also when all_or_nothing refused the batch (then applied is 0 and every row says why). A parcel recorded before with the same contents is "unchanged" (sending the same rows again records nothing twice); with other contents it is rejected.',
      'Reasons in `language` (zh-CN by default).',
    ].join(' '),
  })
  @ApiOkResponse({ type: BulkShipmentReportDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  record(@Actor() actor: ActorContext, @Body() input: BulkShipmentsDto): Promise<BulkShipmentReportDto> {
    return this.bulk.record(
      actor,
      input.shipments.map((item) => ({ ...item })),
      { mode: input.mode ?? 'all_or_nothing', language: input.language ?? 'zh-CN' },
    );
  }
}
