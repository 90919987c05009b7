import { Module } from '@nestjs/common';
import { MerchantsModule } from '@gongxiao/merchants';
import { PartnershipsModule } from '@gongxiao/partnerships';
import { WebhooksModule } from '@gongxiao/webhooks';
import { AdjustmentsService } from './adjustments.service';
import { BalancesViewService } from './balances-view.service';
import { ClosePeriodService } from './close-period.service';
import { ReconciliationsService } from './reconciliations.service';
import { SettlementExportsService } from './settlement-exports.service';
import { StatementExportRequestedJob } from './statement-export-requested.job';
import { FulfillmentLinesCancelledJob } from './fulfillment-lines-cancelled.job';
import { InvoiceRequestsService } from './invoice-requests.service';
import { MarginsService } from './margins.service';
import { PaymentTermsService } from './payment-terms.service';
import { RecordPaymentService } from './record-payment.service';
import { RefundRecordedJob } from './refund-recorded.job';
import { SettlementHoldsService } from './settlement-holds.service';
import { SettlementSettingsService } from './settlement-settings.service';
import { ShipmentRecordedJob } from './shipment-recorded.job';
import { StatementMovesService } from './statement-moves.service';
import { StatementNotices } from './statement-notices';
import { StatementPresenter } from './statement.presenter';
import { StatementQueriesService } from './statement-queries.service';

const JOBS = [ShipmentRecordedJob, RefundRecordedJob, FulfillmentLinesCancelledJob, StatementExportRequestedJob];
const USE_CASES = [
  PaymentTermsService,
  BalancesViewService,
  RecordPaymentService,
  AdjustmentsService,
  SettlementSettingsService,
  ClosePeriodService,
  StatementQueriesService,
  StatementMovesService,
  MarginsService,
  InvoiceRequestsService,
  SettlementExportsService,
  ReconciliationsService,
];
const EXPORTED = [SettlementHoldsService, ...JOBS, ...USE_CASES];

@Module({
  imports: [MerchantsModule, PartnershipsModule, WebhooksModule],
  providers: [StatementPresenter, StatementNotices, ...EXPORTED],
  exports: EXPORTED,
})
export class SettlementModule {}
