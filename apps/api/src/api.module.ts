import { ImportsModule } from '@gongxiao/imports';
import { QualityModule } from '@gongxiao/quality';
import { QualityController } from './controllers/quality.controller';
import { DelistingController } from './controllers/delisting.controller';
import { MadeToOrderController } from './controllers/made-to-order.controller';
import { ImportsController } from './controllers/imports.controller';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AllExceptionsFilter, AppConfig, AuthGuard, ConfigModule, createValidationPipe, DatabaseModule, LoggingModule, OutboxModule, QueuesModule, ThrottlingModule } from '@gongxiao/core';
import { AfterSalesModule } from '@gongxiao/aftersales';
import { SettlementModule } from '@gongxiao/settlement';
import { AvailabilityModule } from '@gongxiao/availability';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { FulfillmentModule } from '@gongxiao/fulfillment';
import { InventoryModule } from '@gongxiao/inventory';
import { MerchantsModule } from '@gongxiao/merchants';
import { OffersModule } from '@gongxiao/offers';
import { OrdersModule } from '@gongxiao/orders';
import { PartnershipsModule } from '@gongxiao/partnerships';
import { WebhooksModule } from '@gongxiao/webhooks';
import { AuthController } from './controllers/auth.controller';
import { CarriersController } from './controllers/carriers.controller';
import { MembersController } from './controllers/members.controller';
import { AvailabilityController } from './controllers/availability.controller';
import { CatalogController } from './controllers/catalog.controller';
import { CatalogSheetsController } from './controllers/catalog-sheets.controller';
import { PlatformCatalogController } from './controllers/platform-catalog.controller';
import { ChannelsController } from './controllers/channels.controller';
import { FulfillmentController } from './controllers/fulfillment.controller';
import { OrderSheetBatchesController } from './controllers/order-sheet-batches.controller';
import { ShipmentsController } from './controllers/shipments.controller';
import { OffersController } from './controllers/offers.controller';
import { OrdersController } from './controllers/orders.controller';
import { PlatformWebhooksController } from './controllers/platform-webhooks.controller';
import { PlatformWebhooksService } from './platform-webhooks/platform-webhooks.service';
import { PartnerInvitesController } from './controllers/partner-invites.controller';
import { PartnershipsController } from './controllers/partnerships.controller';
import { ReturnsController } from './controllers/returns.controller';
import { SettlementController } from './controllers/settlement.controller';
import { StatementsController } from './controllers/statements.controller';
import { SettlementFilesController } from './controllers/settlement-files.controller';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Module({
  imports: [
    LoggingModule,
    DatabaseModule,
    QueuesModule,
    OutboxModule,
    ThrottlingModule,
    TerminusModule,
    MerchantsModule,
    PartnershipsModule,
    CatalogModule,
    InventoryModule,
    OffersModule,
    ChannelsModule,
    ImportsModule,
    OrdersModule,
    FulfillmentModule,
    WebhooksModule,
    AvailabilityModule,
    AfterSalesModule,
    SettlementModule,
    QualityModule,
  ],
  controllers: [
    HealthController,
    AuthController,
    CarriersController,
    ImportsController,
    MembersController,
    PartnershipsController,
    PartnerInvitesController,
    CatalogController,
    CatalogSheetsController,
    PlatformCatalogController,
    OffersController,
    ChannelsController,
    OrdersController,
    PlatformWebhooksController,
    FulfillmentController,
    OrderSheetBatchesController,
    ShipmentsController,
    AvailabilityController,
    ReturnsController,
    SettlementController,
    StatementsController,
    SettlementFilesController,
    QualityController,
    DelistingController,
    MadeToOrderController,
  ],
  providers: [
    ReadinessChecks,
    PlatformWebhooksService,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class ApiModule {
  static forConfig(config: AppConfig): DynamicModule {
    return { module: ApiModule, imports: [ConfigModule.forRoot(config)] };
  }
}
