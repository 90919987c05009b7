import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, DatabaseModule, loadConfig, LoggingModule, OutboxJobHandler, OutboxModule, QueuesModule } from '@gongxiao/core';
import {
  ChannelOrderReceivedJob,
  ChannelOrderShipmentRecordedJob,
  FulfillmentModule,
  FulfillmentOrderCancelledJob,
  FulfillmentOrderMergeWindowOpenedJob,
  FulfillmentOrderOverdueJob,
  ProductionRunCancelledJob,
  FulfillmentOrderReleasedJob,
  FundsAddedJob,
  InterceptionRequestedJob,
  OrderSheetBatchCreatedJob,
  OrderSheetExportRequestedJob,
} from '@gongxiao/fulfillment';
import { WebhookDeliveryCreatedJob, WebhooksModule } from '@gongxiao/webhooks';
import { AfterSalesModule, InterceptionAnsweredJob } from '@gongxiao/aftersales';
import { AvailabilityModule, AvailabilityStaleJob, ShopStockStaleJob } from '@gongxiao/availability';
import { FulfillmentLinesCancelledJob, RefundRecordedJob, SettlementModule, ShipmentRecordedJob, StatementExportRequestedJob } from '@gongxiao/settlement';
import { ImportsModule, SheetImportRequestedJob } from '@gongxiao/imports';
import { ChannelsModule, PlatformCallCreatedJob } from '@gongxiao/channels';
import { QualityModule, ReviewReceivedJob, SalesQualityChangedJob } from '@gongxiao/quality';
import { JobRegistry, OUTBOX_JOB_HANDLERS } from './job-registry';
import { OutboxRelay } from './outbox-relay';
import { Sweeper } from './sweeper';
import { Retention } from './retention';
import { MaintenanceProcessor } from './maintenance.processor';
import { OrderSheetCuts } from './order-sheet-cuts';
import { WorkerHeartbeat } from './heartbeat';
import { AfterSalesProcessor, AvailabilityProcessor, configureProcessors, DispatchProcessor, RoutingProcessor, SettlementProcessor, WebhooksProcessor, FilesProcessor } from './outbox.processors';

const HANDLERS = [
  ChannelOrderReceivedJob,
  FulfillmentOrderMergeWindowOpenedJob,
  FulfillmentOrderReleasedJob,
  ChannelOrderShipmentRecordedJob,
  FulfillmentOrderCancelledJob,
  InterceptionRequestedJob,
  WebhookDeliveryCreatedJob,
  AvailabilityStaleJob,
  ShopStockStaleJob,
  InterceptionAnsweredJob,
  ShipmentRecordedJob,
  RefundRecordedJob,
  FulfillmentLinesCancelledJob,
  StatementExportRequestedJob,
  FundsAddedJob,
  SheetImportRequestedJob,
  OrderSheetBatchCreatedJob,
  OrderSheetExportRequestedJob,
  PlatformCallCreatedJob,
  FulfillmentOrderOverdueJob,
  ProductionRunCancelledJob,
  ReviewReceivedJob,
  SalesQualityChangedJob,
];

@Module({
  imports: [
    LoggingModule,
    DatabaseModule,
    QueuesModule,
    OutboxModule,
    FulfillmentModule,
    WebhooksModule,
    AvailabilityModule,
    AfterSalesModule,
    SettlementModule,
    ImportsModule,
    ChannelsModule,
    QualityModule,
  ],
  providers: [
    {
      provide: OUTBOX_JOB_HANDLERS,
      inject: HANDLERS,
      useFactory: (...handlers: OutboxJobHandler[]) => handlers,
    },
    JobRegistry,
    OutboxRelay,
    Sweeper,
    Retention,
    MaintenanceProcessor,
    OrderSheetCuts,
    WorkerHeartbeat,
    RoutingProcessor,
    DispatchProcessor,
    WebhooksProcessor,
    AvailabilityProcessor,
    AfterSalesProcessor,
    SettlementProcessor,
    FilesProcessor,
  ],
})
export class WorkerModule {
  static forConfig(config: AppConfig = loadConfig()): DynamicModule {
    configureProcessors(config);
    return { module: WorkerModule, imports: [ConfigModule.forRoot(config)] };
  }
}
