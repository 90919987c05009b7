import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { InventoryModule } from '@gongxiao/inventory';
import { OffersModule } from '@gongxiao/offers';
import { PartnershipsModule } from '@gongxiao/partnerships';
import { WebhooksModule } from '@gongxiao/webhooks';
import { AvailabilityService } from './availability.service';
import { ShopStockSyncJob } from './shop-stock-sync.job';

@Module({
  imports: [CatalogModule, ChannelsModule, InventoryModule, OffersModule, PartnershipsModule, WebhooksModule],
  providers: [AvailabilityService, ShopStockSyncJob],
  exports: [AvailabilityService, ShopStockSyncJob],
})
export class AvailabilityModule {}
