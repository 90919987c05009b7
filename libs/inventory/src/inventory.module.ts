import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { InventoryService } from './inventory.service';
import { StockUpdatesService } from './stock-updates.service';

@Module({
  imports: [CatalogModule],
  providers: [InventoryService, StockUpdatesService],
  exports: [InventoryService, StockUpdatesService],
})
export class InventoryModule {}
