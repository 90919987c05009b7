import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { InventoryModule } from '@gongxiao/inventory';
import { OffersModule } from '@gongxiao/offers';
import { PartnershipsModule } from '@gongxiao/partnerships';
import { WebhooksModule } from '@gongxiao/webhooks';
import { AvailabilityStaleJob } from './availability-stale.job';
import { AvailabilityService } from './availability.service';
import { ShopStockStaleJob } from './shop-stock-stale.job';
import { StockAlertsService } from './stock-alerts.service';

@Module({
  imports: [CatalogModule, ChannelsModule, InventoryModule, OffersModule, PartnershipsModule, WebhooksModule],
  providers: [AvailabilityService, StockAlertsService, AvailabilityStaleJob, ShopStockStaleJob],
  exports: [AvailabilityService, StockAlertsService, AvailabilityStaleJob, ShopStockStaleJob],
})
export class AvailabilityModule {}
