import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsUrl, MaxLength } from 'class-validator';

export const SUBSCRIBABLE_EVENTS = [
  'stock.low',
  'stock.out',
  'stock.restocked',
  'interception.escalated',
  'interception.answered',
  'return.updated',
  'statement.issued',
  'statement.disputed',
  'statement.confirmed',
  'statement.settled',
  'invoice.requested',
  'invoice.issued',
  'invoice.rejected',
  'order_sheet_batch.created',
  'order.overdue',
  'review.received',
  'offer.delisted',
  'offer.reinstated',
  'listing.delisted',
  'listing.reinstated',
  'quality.warning',
  'production_run.closed',
  'production_run.confirmed',
  'production_run.cancelled',
] as const;
export type SubscribableEvent = (typeof SUBSCRIBABLE_EVENTS)[number];

export class CreateSubscriptionDto {
  @ApiProperty({ description: 'Where events are POSTed, signed with the secret returned once' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    enum: SUBSCRIBABLE_EVENTS,
    isArray: true,
    description:
      "stock.low / stock.out / stock.restocked: a SKU you supply or sell crossed its alert threshold; interception.escalated: a supplier has not answered an interception request in time; interception.answered: a supplier intercepted a parcel, or could not; return.updated: a return case you take part in was opened or moved on; statement.issued / statement.disputed / statement.confirmed / statement.settled: your counterparty moved a monthly statement between you; invoice.requested / invoice.issued / invoice.rejected: an invoice request against a settled statement was made or answered; order_sheet_batch.created: an order-sheet batch (发货单批次) of one of your warehouses was cut, its file is ready; order.overdue: a fulfillment order passed its ship-by unshipped (to its supplier and its distributors, once per order); review.received: a shop pushed a consumer review of goods you supply; offer.delisted / listing.delisted: a quality rule (yours, or your direct partner's on goods you trade with it) suspended offers or paused listings, with the evidence; offer.reinstated / listing.reinstated: its owner put them back on sale; quality.warning: your warn-only rule fired; production_run.closed: a made-to-order run of yours reached its cut-off, with its demand per SKU option (to the supplier); production_run.confirmed: the run will be produced, with the promised ship date (to the supplier and the distributors of its orders); production_run.cancelled: the supplier cancelled a run below its minimum batch, its orders are being cancelled (to both sides)",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events!: SubscribableEvent[];
}

export class SubscriptionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, isArray: true }) events!: string[];
  @ApiProperty() status!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ description: 'Signs every event. Returned only when the subscription is created.' }) secret?: string;
}
