import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Product, Sku, Warehouse } from './catalog.entities';
import { CatalogService } from './catalog.service';
import { CatalogExportService } from './catalog-export.service';
import { CatalogImportHandler } from './catalog-import.handler';
import { PlatformCatalogImportService } from './platform-export/platform-catalog-import.service';

@Module({
  imports: [MikroOrmModule.forFeature([Product, Sku, Warehouse])],
  providers: [CatalogService, CatalogImportHandler, CatalogExportService, PlatformCatalogImportService],
  exports: [CatalogService, CatalogImportHandler, CatalogExportService, PlatformCatalogImportService],
})
export class CatalogModule {}
