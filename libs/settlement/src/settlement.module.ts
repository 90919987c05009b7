import { Module } from '@nestjs/common';
import { FulfillmentLinesCancelledJob } from './fulfillment-lines-cancelled.job';
import { RefundRecordedJob } from './refund-recorded.job';
import { SettlementHoldsService } from './settlement-holds.service';
import { ShipmentRecordedJob } from './shipment-recorded.job';

const JOBS = [ShipmentRecordedJob, RefundRecordedJob, FulfillmentLinesCancelledJob];
const EXPORTED = [SettlementHoldsService, ...JOBS];

@Module({
  providers: [...EXPORTED],
  exports: EXPORTED,
})
export class SettlementModule {}
