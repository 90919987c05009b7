import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, RequirePermissions } from '@gongxiao/core';
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
  @ApiOperation({ summary: 'Create a product with its SKUs' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  createProduct(@Actor() actor: ActorContext, @Body() input: CreateProductDto) {
    return this.catalog.createProduct(actor, input);
  }

  @Get('products')
  @RequirePermissions('catalog:read')
  @ApiOperation({ summary: 'Your products, newest first' })
  @ApiPageResponse(ProductResponseDto)
  @ApiErrors(400)
  listProducts(@Actor() actor: ActorContext, @Query() query: ListProductsQueryDto) {
    return this.catalog.listProducts(actor, query);
  }

  @Get('products/:productId')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: ProductResponseDto })
  @ApiOperation({ summary: 'A product with its SKUs' })
  @ApiErrors(404)
  getProduct(@Actor() actor: ActorContext, @Param('productId') productId: string) {
    return this.catalog.getProduct(actor, productId);
  }

  @Post('products/:productId/skus')
  @RequirePermissions('catalog:write')
  @ApiCreatedResponse({ type: SkuResponseDto })
  @ApiOperation({ summary: 'Add a SKU to a product' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409)
  addSku(@Actor() actor: ActorContext, @Param('productId') productId: string, @Body() input: CreateSkuDto) {
    return this.catalog.addSku(actor, productId, input);
  }

  @Patch('skus/:skuId')
  @RequirePermissions('catalog:write')
  @ApiOkResponse({ type: SkuResponseDto })
  @ApiOperation({ summary: 'Change a SKU' })
  @ApiErrors(400, 404, 409)
  updateSku(@Actor() actor: ActorContext, @Param('skuId') skuId: string, @Body() input: UpdateSkuDto) {
    return this.catalog.updateSku(actor, skuId, input);
  }

  @Post('warehouses')
  @RequirePermissions('catalog:write')
  @ApiCreatedResponse({ type: WarehouseResponseDto })
  @ApiOperation({ summary: 'Create a warehouse (optionally with an ERP endpoint)' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  createWarehouse(@Actor() actor: ActorContext, @Body() input: CreateWarehouseDto) {
    return this.catalog.createWarehouse(actor, input);
  }

  @Get('warehouses')
  @RequirePermissions('catalog:read')
  @ApiOperation({ summary: 'Your warehouses, oldest first' })
  @ApiPageResponse(WarehouseResponseDto)
  @ApiErrors(400)
  listWarehouses(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.catalog.listWarehouses(actor, query);
  }

  @Get('warehouses/:warehouseId')
  @RequirePermissions('catalog:read')
  @ApiOkResponse({ type: WarehouseResponseDto })
  @ApiOperation({ summary: 'A warehouse' })
  @ApiErrors(404)
  getWarehouse(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.catalog.getWarehouse(actor, warehouseId);
  }

  @Patch('warehouses/:warehouseId')
  @RequirePermissions('catalog:write')
  @ApiOkResponse({ type: WarehouseResponseDto })
  @ApiOperation({ summary: 'Change a warehouse' })
  @ApiErrors(400, 404, 409)
  updateWarehouse(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string, @Body() input: UpdateWarehouseDto) {
    return this.catalog.updateWarehouse(actor, warehouseId, input);
  }

  @Post('warehouses/:warehouseId/rotate-erp-secret')
  @RequirePermissions('catalog:write')
  @HttpCode(200)
  @ApiOkResponse({ type: WarehouseResponseDto })
  @ApiOperation({ summary: 'New ERP signing secret for a warehouse' })
  @ApiErrors(404, 409)
  rotateErpSecret(@Actor() actor: ActorContext, @Param('warehouseId') warehouseId: string) {
    return this.catalog.rotateErpSecret(actor, warehouseId);
  }

  @Get('stock-levels')
  @RequirePermissions('catalog:read')
  @ApiOperation({ summary: 'Stock levels by warehouse and SKU; filter by warehouseId or skuId' })
  @ApiPageResponse(StockLevelResponseDto)
  @ApiErrors(400, 404)
  listStock(@Actor() actor: ActorContext, @Query() query: ListStockLevelsQueryDto) {
    return this.inventory.list(actor, query);
  }

  @Put('stock-levels')
  @RequirePermissions('stock:write')
  @ApiOkResponse({ type: StockLevelResponseDto })
  @ApiOperation({ summary: 'Set the units on hand (absolute) of a SKU in a warehouse' })
  @ApiErrors(400, 404, 409)
  setStock(@Actor() actor: ActorContext, @Body() input: SetStockLevelDto) {
    return this.inventory.setLevel(actor, input);
  }

  @Post('stock-levels/adjustments')
  @RequirePermissions('stock:write')
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelResponseDto })
  @ApiOperation({ summary: 'Add or remove units of a SKU in a warehouse' })
  @ApiErrors(400, 404, 409, 422)
  adjustStock(@Actor() actor: ActorContext, @Body() input: AdjustStockDto) {
    return this.inventory.adjust(actor, input);
  }
}
