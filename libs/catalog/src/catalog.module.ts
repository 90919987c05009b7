import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Product, Sku, Warehouse } from './catalog.entities';
import { CatalogService } from './catalog.service';
import { CatalogExportService } from './catalog-export.service';
import { CatalogImportHandler } from './catalog-import.handler';

@Module({
  imports: [MikroOrmModule.forFeature([Product, Sku, Warehouse])],
  providers: [CatalogService, CatalogImportHandler, CatalogExportService],
  exports: [CatalogService, CatalogImportHandler, CatalogExportService],
})
export class CatalogModule {}
