import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Product, Sku, Warehouse } from './catalog.entities';
import { CatalogService } from './catalog.service';

@Module({
  imports: [MikroOrmModule.forFeature([Product, Sku, Warehouse])],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
