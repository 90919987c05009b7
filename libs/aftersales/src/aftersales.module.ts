import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { FulfillmentModule } from '@gongxiao/fulfillment';
import { InventoryModule } from '@gongxiao/inventory';
import { WebhooksModule } from '@gongxiao/webhooks';
import { ReturnsService } from './returns.service';

@Module({
  imports: [CatalogModule, FulfillmentModule, InventoryModule, WebhooksModule],
  providers: [ReturnsService],
  exports: [ReturnsService],
})
export class AfterSalesModule {}
