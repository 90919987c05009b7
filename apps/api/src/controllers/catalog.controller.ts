import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import {
  CatalogService,
  CreateProductDto,
  CreateSkuDto,
  CreateWarehouseDto,
  ListProductsQueryDto,
  ProductResponseDto,
  SkuResponseDto,
  UpdateSkuDto,
  UpdateWarehouseDto,
  WarehouseResponseDto,
} from '@gongxiao/catalog';
import { AdjustStockDto, InventoryService, ListStockLevelsQueryDto, SetStockLevelDto, StockLevelResponseDto } from '@gongxiao/inventory';

@ApiTags('catalog')
@Controller('v1')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
  ) {}

  @Post('products')
  @RequirePermissions('catalog:write')
  @ApiCreatedResponse({ type: ProductResponseDto })
  createProduct(@Actor() actor: ActorContext, @Body() input: CreateProductDto) {
    return this.catalog.createProduct(actor, input);
  }

  @Get('products')
  @RequirePermissions('catalog:read')
  listProducts(@Actor() actor: ActorContext, @Query() query: ListProductsQueryDto) {
    return this.catalog.listProducts(actor, query);
  }

  @Get('products/:productId')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: ProductResponseDto })
  getProduct(@Actor() actor: ActorContext, @Param('productId') productId: string) {
    return this.catalog.getProduct(actor, productId);
  }

  @Post('products/:productId/skus')
  @RequirePermissions('catalog:write')
  @ApiCreatedResponse({ type: SkuResponseDto })
  addSku(@Actor() actor: ActorContext, @Param('productId') productId: string, @Body() input: CreateSkuDto) {
    return this.catalog.addSku(actor, productId, input);
  }

  @Patch('skus/:skuId')
  @RequirePermissions('catalog:write')
  @ApiOkResponse({ type: SkuResponseDto })
  updateSku(@Actor() actor: ActorContext, @Param('skuId') skuId: string, @Body() input: UpdateSkuDto) {
    return this.catalog.updateSku(actor, skuId, input);
  }

  @Post('warehouses')
  @RequirePermissions('catalog:write')
  @ApiCreatedResponse({ type: WarehouseResponseDto })
  createWarehouse(@Actor() actor: ActorContext, @Body() input: CreateWarehouseDto) {
    return this.catalog.createWarehouse(actor, input);
  }

  @Get('warehouses')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: [WarehouseResponseDto] })
  listWarehouses(@Actor() actor: ActorContext) {
    return this.catalog.listWarehouses(actor);
  }

  @Get('warehouses/:warehouseId')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: WarehouseResponseDto })
  getWarehouse(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.catalog.getWarehouse(actor, warehouseId);
  }

  @Patch('warehouses/:warehouseId')
  @RequirePermissions('catalog:write')
  @ApiOkResponse({ type: WarehouseResponseDto })
  updateWarehouse(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string, @Body() input: UpdateWarehouseDto) {
    return this.catalog.updateWarehouse(actor, warehouseId, input);
  }

  @Post('warehouses/:warehouseId/rotate-erp-secret')
  @RequirePermissions('catalog:write')
  @HttpCode(200)
  @ApiOkResponse({ type: WarehouseResponseDto })
  rotateErpSecret(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.catalog.rotateErpSecret(actor, warehouseId);
  }

  @Get('stock-levels')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: [StockLevelResponseDto] })
  listStock(@Actor() actor: ActorContext, @Query() query: ListStockLevelsQueryDto) {
    return this.inventory.list(actor, query);
  }

  @Put('stock-levels')
  @RequirePermissions('stock:write')
  @ApiOkResponse({ type: StockLevelResponseDto })
  setStock(@Actor() actor: ActorContext, @Body() input: SetStockLevelDto) {
    return this.inventory.setLevel(actor, input);
  }

  @Post('stock-levels/adjustments')
  @RequirePermissions('stock:write')
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelResponseDto })
  adjustStock(@Actor() actor: ActorContext, @Body() input: AdjustStockDto) {
    return this.inventory.adjust(actor, input);
  }
}
