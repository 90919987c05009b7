import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { InventoryService } from './inventory.service';
import { StockExportService } from './stock-export.service';
import { StockImportHandler } from './stock-import.handler';
import { StockUpdatesService } from './stock-updates.service';

@Module({
  imports: [CatalogModule],
  providers: [InventoryService, StockUpdatesService, StockImportHandler, StockExportService],
  exports: [InventoryService, StockUpdatesService, StockImportHandler, StockExportService],
})
export class InventoryModule {}
