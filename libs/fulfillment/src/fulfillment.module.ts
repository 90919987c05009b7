import { OrderLocks } from './order-locks';
import { Module } from '@nestjs/common';
import { AvailabilityModule } from '@gongxiao/availability';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { InventoryModule } from '@gongxiao/inventory';
import { OffersModule } from '@gongxiao/offers';
import { OrdersModule } from '@gongxiao/orders';
import { WebhooksModule } from '@gongxiao/webhooks';
import { FulfillmentExportService } from './fulfillment-export.service';
import { DispatchFulfillmentOrderJob, ErpNotifier, NotifyCancellationJob, NotifyInterceptionJob, NotifyShopOfShipmentJob, ReleaseFulfillmentOrderJob } from './fulfillment.jobs';
import { AnswerInterceptionService } from './cancellation/answer-interception.service';
import { CancelOrderService } from './cancellation/cancel-order.service';
import { CancellationRatesService } from './cancellation/cancellation-rates.service';
import { InterceptionsService } from './cancellation/interceptions.service';
import { FulfillmentService } from './fulfillment.service';
import { RouteChannelOrderJob } from './routing/route-channel-order.job';
import { DefaultRoutingStrategy, RoutingStrategy } from './routing/routing-strategy';

@Module({
  imports: [AvailabilityModule, CatalogModule, ChannelsModule, InventoryModule, OffersModule, OrdersModule, WebhooksModule],
  providers: [
    FulfillmentService,
    FulfillmentExportService,
    RouteChannelOrderJob,
    ReleaseFulfillmentOrderJob,
    DispatchFulfillmentOrderJob,
    NotifyShopOfShipmentJob,
    NotifyCancellationJob,
    NotifyInterceptionJob,
    CancelOrderService,
    AnswerInterceptionService,
    InterceptionsService,
    CancellationRatesService,
    OrderLocks,
    ErpNotifier,
    { provide: RoutingStrategy, useClass: DefaultRoutingStrategy },
  ],
  exports: [
    FulfillmentService,
    FulfillmentExportService,
    CancelOrderService,
    AnswerInterceptionService,
    InterceptionsService,
    CancellationRatesService,
    RouteChannelOrderJob,
    ReleaseFulfillmentOrderJob,
    DispatchFulfillmentOrderJob,
    NotifyShopOfShipmentJob,
    NotifyCancellationJob,
    NotifyInterceptionJob,
    RoutingStrategy,
    OrderLocks,
  ],
})
export class FulfillmentModule {}
