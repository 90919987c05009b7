import { Module } from '@nestjs/common';
import { AvailabilityModule } from '@gongxiao/availability';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { InventoryModule } from '@gongxiao/inventory';
import { OffersModule } from '@gongxiao/offers';
import { OrdersModule } from '@gongxiao/orders';
import { SettlementModule } from '@gongxiao/settlement';
import { WebhooksModule } from '@gongxiao/webhooks';
import { ProductionRunCancelledJob } from './production-runs/production-run-cancelled.job';
import { ProductionRunSweepService } from './production-runs/production-run-sweep.service';
import { ProductionRunsService } from './production-runs/production-runs.service';
import { AnswerInterceptionService } from './cancellation/answer-interception.service';
import { CancelOrderService } from './cancellation/cancel-order.service';
import { CancellationRatesService } from './cancellation/cancellation-rates.service';
import { InterceptionsService } from './cancellation/interceptions.service';
import { ChannelOrderShipmentRecordedJob } from './channel-order-shipment-recorded.job';
import { ErpDispatch } from './erp-dispatch';
import { FulfillmentExportService } from './fulfillment-export.service';
import { FulfillmentOrderCancelledJob } from './fulfillment-order-cancelled.job';
import { FulfillmentOrderMergeWindowOpenedJob } from './fulfillment-order-merge-window-opened.job';
import { FulfillmentOrderReleasedJob } from './fulfillment-order-released.job';
import { FulfillmentService } from './fulfillment.service';
import { BulkShipmentsService } from './bulk-shipments.service';
import { TrackingBackfillHandler } from './tracking-backfill.handler';
import { FundsAddedJob } from './funds-added.job';
import { InterceptionRequestedJob } from './interception-requested.job';
import { OrderLocks } from './order-locks';
import { FulfillmentOrderOverdueJob } from './service-standards/fulfillment-order-overdue.job';
import { OverdueSweepService } from './service-standards/overdue-sweep.service';
import { ChannelOrderStandardsService } from './service-standards/service-standard';
import { OrderSheetBatchCreatedJob } from './order-sheet-batches/order-sheet-batch-created.job';
import { OrderSheetExportRequestedJob } from './order-sheet-exports/order-sheet-export-requested.job';
import { OrderSheetExportsService } from './order-sheet-exports/order-sheet-exports.service';
import { OrderSheetBatchesService } from './order-sheet-batches/order-sheet-batches.service';
import { OrderSheetCutterService } from './order-sheet-batches/order-sheet-cutter.service';
import { SheetSchedulesService } from './order-sheet-batches/sheet-schedules.service';
import { ChannelOrderReceivedJob } from './routing/channel-order-received.job';
import { OrderRouter } from './routing/order-router';
import { OrderLineResolver } from './routing/resolve-order-lines';
import { DefaultRoutingStrategy, RoutingStrategy } from './routing/routing-strategy';

/** The outbox event handlers of this context, one per event type (the worker registers them). */
const JOBS = [
  ChannelOrderReceivedJob,
  FulfillmentOrderMergeWindowOpenedJob,
  FulfillmentOrderReleasedJob,
  ChannelOrderShipmentRecordedJob,
  FulfillmentOrderCancelledJob,
  InterceptionRequestedJob,
  FundsAddedJob,
  OrderSheetBatchCreatedJob,
  OrderSheetExportRequestedJob,
  FulfillmentOrderOverdueJob,
  ProductionRunCancelledJob,
];

@Module({
  imports: [AvailabilityModule, CatalogModule, ChannelsModule, InventoryModule, OffersModule, OrdersModule, SettlementModule, WebhooksModule],
  providers: [
    FulfillmentService,
    BulkShipmentsService,
    TrackingBackfillHandler,
    FulfillmentExportService,
    OrderSheetExportsService,
    CancelOrderService,
    AnswerInterceptionService,
    InterceptionsService,
    CancellationRatesService,
    OverdueSweepService,
    ProductionRunSweepService,
    ProductionRunsService,
    ChannelOrderStandardsService,
    SheetSchedulesService,
    OrderSheetCutterService,
    OrderSheetBatchesService,
    OrderLocks,
    ErpDispatch,
    OrderLineResolver,
    OrderRouter,
    ...JOBS,
    { provide: RoutingStrategy, useClass: DefaultRoutingStrategy },
  ],
  exports: [
    FulfillmentService,
    BulkShipmentsService,
    TrackingBackfillHandler,
    FulfillmentExportService,
    OrderSheetExportsService,
    CancelOrderService,
    AnswerInterceptionService,
    InterceptionsService,
    CancellationRatesService,
    OverdueSweepService,
    ProductionRunSweepService,
    ProductionRunsService,
    ChannelOrderStandardsService,
    SheetSchedulesService,
    OrderSheetCutterService,
    OrderSheetBatchesService,
    RoutingStrategy,
    OrderLocks,
    ErpDispatch,
    ...JOBS,
  ],
})
export class FulfillmentModule {}
