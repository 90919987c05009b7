import { Module } from '@nestjs/common';
import { MerchantsModule } from '@gongxiao/merchants';
import { ReconciliationsService } from './reconciliations.service';
import { SettlementExportsService } from './settlement-exports.service';
import { StatementExportRequestedJob } from './statement-export-requested.job';
import { FulfillmentLinesCancelledJob } from './fulfillment-lines-cancelled.job';
import { RefundRecordedJob } from './refund-recorded.job';
import { SettlementHoldsService } from './settlement-holds.service';
import { ShipmentRecordedJob } from './shipment-recorded.job';

const JOBS = [ShipmentRecordedJob, RefundRecordedJob, FulfillmentLinesCancelledJob, StatementExportRequestedJob];
const EXPORTED = [SettlementHoldsService, SettlementExportsService, ReconciliationsService, ...JOBS];

@Module({
  imports: [MerchantsModule],
  providers: [...EXPORTED],
  exports: EXPORTED,
})
export class SettlementModule {}
