import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { InventoryService } from './inventory.service';

@Module({
  imports: [CatalogModule],
  providers: [InventoryService],
  exports: [InventoryService],
})
export class InventoryModule {}
