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
import { CancellationService } from './cancellation.service';
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
    CancellationService,
    OrderLocks,
    ErpNotifier,
    { provide: RoutingStrategy, useClass: DefaultRoutingStrategy },
  ],
  exports: [
    FulfillmentService,
    FulfillmentExportService,
    CancellationService,
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
