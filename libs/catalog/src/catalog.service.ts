import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  AppConfig,
  assertOutgoingUrl,
  canonicalProvince,
  ConflictError,
  decodeIdCursor,
  DomainError,
  encryptField,
  generateToken,
  isId,
  money,
  NotFoundError,
  OutboxService,
  Page,
  outgoingAllowListOf,
  PageQueryDto,
  pageWindow,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { Product, ReceiveMode, Sku, Warehouse } from './catalog.entities';

/** What routing and dispatch need of a warehouse, whoever owns it. */
export interface WarehouseFacts {
  id: string;
  merchantId: string;
  code: string;
  province: string;
  priority: number;
  receiveMode: ReceiveMode;
  erpWebhookUrl: string | null;
  mergeWindowMinutes: number;
  status: 'active' | 'inactive';
}
/** What other contexts show of a SKU beside their own rows. */
export interface SkuLabel {
  id: string;
  code: string;
  name: string;
  /** 规格: the SKU's own spec text, else its specs' values joined with " / "; '' when it has neither. */
  spec: string;
}

import { CreateProductDto, CreateSkuDto, CreateWarehouseDto, ListProductsQueryDto, ProductResponseDto, SkuResponseDto, UpdateSkuDto, UpdateWarehouseDto, WarehouseResponseDto } from './catalog.dto';

export function toSkuResponse(sku: Sku): SkuResponseDto {
  return {
    id: sku.id,
    productId: sku.productId,
    code: sku.code,
    name: sku.name,
    specs: sku.specs,
    spec: sku.spec,
    weightGrams: sku.weightGrams,
    barcode: sku.barcode,
    listPrice: sku.listPriceAmount === null || sku.listPriceCurrency === null ? null : money(sku.listPriceAmount, sku.listPriceCurrency),
    platform: sku.platform,
    platformProductId: sku.platformProductId,
    platformVariantId: sku.platformVariantId,
  };
}

/** `plaintextSecret` only when the ERP secret was just made: it is stored encrypted and shown once. */
function toWarehouseResponse(warehouse: Warehouse, plaintextSecret?: string): WarehouseResponseDto {
  return {
    id: warehouse.id,
    code: warehouse.code,
    name: warehouse.name,
    province: warehouse.province,
    city: warehouse.city,
    priority: warehouse.priority,
    receiveMode: warehouse.receiveMode,
    erpWebhookUrl: warehouse.erpWebhookUrl,
    mergeWindowMinutes: warehouse.mergeWindowMinutes,
    status: warehouse.status,
    ...(plaintextSecret ? { erpWebhookSecret: plaintextSecret } : {}),
  };
}

function checkSpecs(specs: Record<string, unknown> | undefined, field: string): void {
  if (!specs) return;
  const entries = Object.entries(specs);
  if (entries.length > 50) throw ValidationFailedError.field(field, 'has more than 50 specifications');
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value.length > 200 || name.length > 60) {
      throw ValidationFailedError.field(`${field}.${name}`, 'must be a text value of at most 200 characters');
    }
  }
}

/** A supplier's products, SKUs and warehouses. */
/** A warehouse's province as the national divisions name it ("Zhejiang" → 浙江省), or as given (trimmed) when not recognized. */
function warehouseProvince(province: string): string {
  return canonicalProvince(province) ?? province.trim();
}

@Injectable()
export class CatalogService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async createProduct(actor: ActorContext, input: CreateProductDto): Promise<ProductResponseDto> {
    const skus = input.skus ?? [];
    await this.assertCodesFree(actor, skus, 'skus');
    return this.em.transactional(async (em) => {
      const product = em.create(Product, { merchantId: actor.merchantId, name: input.name.trim(), description: input.description ?? null });
      await em.flush();
      const created = skus.map((sku) => em.create(Sku, this.newSku(actor, product.id, sku)));
      await em.flush();
      return this.toProductResponse(product, created);
    });
  }

  async addSku(actor: ActorContext, productId: string, input: CreateSkuDto): Promise<SkuResponseDto> {
    const product = await this.findProduct(actor, productId);
    await this.assertCodesFree(actor, [input], null);
    const sku = this.em.create(Sku, this.newSku(actor, product.id, input));
    await this.em.flush();
    return toSkuResponse(sku);
  }

  async updateSku(actor: ActorContext, skuId: string, input: UpdateSkuDto): Promise<SkuResponseDto> {
    checkSpecs(input.specs, 'specs');
    const sku = await this.findSku(actor, skuId);
    Object.assign(sku, Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)));
    if (input.spec !== undefined) sku.spec = input.spec.trim() || null;
    await this.em.flush();
    return toSkuResponse(sku);
  }

  async getProduct(actor: ActorContext, productId: string): Promise<ProductResponseDto> {
    const product = await this.findProduct(actor, productId);
    const skus = await this.em.find(Sku, { productId: product.id }, { orderBy: { id: 'asc' } });
    return this.toProductResponse(product, skus);
  }

  async listProducts(actor: ActorContext, query: ListProductsQueryDto): Promise<Page<ProductResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const products = await this.em.find(Product, { merchantId: actor.merchantId, ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: limit + 1 });
    const skus = await this.em.find(Sku, { productId: { $in: products.map((p) => p.id) } }, { orderBy: { id: 'asc' } });
    return toPage(products, limit, (product) =>
      this.toProductResponse(
        product,
        skus.filter((sku) => sku.productId === product.id),
      ),
    );
  }

  /** The SKU, if the acting merchant owns it; else 404. */
  async findSku(actor: ActorContext, skuId: string): Promise<Sku> {
    const sku = isId(skuId) ? await this.em.findOne(Sku, { id: skuId, merchantId: actor.merchantId }) : null;
    if (!sku) throw new NotFoundError('sku', skuId);
    return sku;
  }

  async findSkuByCode(actor: ActorContext, code: string): Promise<Sku | null> {
    return this.em.findOne(Sku, { merchantId: actor.merchantId, code });
  }

  /** Basic facts of any SKUs by id (for partners' views of offers): code, name, specs. */
  async skusById(skuIds: string[]): Promise<Map<string, Sku>> {
    if (skuIds.length === 0) return new Map();
    const skus = await this.em.find(Sku, { id: { $in: [...new Set(skuIds)] } });
    return new Map(skus.map((sku) => [sku.id, sku]));
  }

  /**
   * Code and name of any SKUs by id, as plain rows (nothing kept in the unit of work): for other
   * contexts' hot paths and streams, one statement per batch of ids.
   */
  async skuLabelsById(skuIds: string[]): Promise<Map<string, SkuLabel>> {
    if (skuIds.length === 0) return new Map();
    const rows = await sqlRows<SkuLabel>(
      this.em,
      `select id::text, code, name, coalesce(nullif(spec, ''), (select string_agg(value, ' / ' order by key) from jsonb_each_text(specs)), '') as spec from sku where id = any(?::bigint[])`,
      [[...new Set(skuIds)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  async createWarehouse(actor: ActorContext, input: CreateWarehouseDto): Promise<WarehouseResponseDto> {
    assertOutgoingUrl(input.erpWebhookUrl, 'erpWebhookUrl', outgoingAllowListOf(this.config));
    this.checkErpSettings(input.receiveMode ?? 'inbox', input.erpWebhookUrl);
    if (await this.em.count(Warehouse, { merchantId: actor.merchantId, code: input.code })) {
      throw new DomainError('duplicate', 'warehouse_code_taken', `You already have a warehouse with code ${input.code}.`, [{ field: 'code', reason: 'already used' }]);
    }
    const secret = input.erpWebhookUrl ? generateToken('whsec', 24) : undefined;
    const warehouse = this.em.create(Warehouse, {
      merchantId: actor.merchantId,
      code: input.code,
      name: input.name.trim(),
      province: warehouseProvince(input.province),
      city: input.city?.trim() ?? null,
      priority: input.priority ?? 100,
      receiveMode: input.receiveMode ?? 'inbox',
      erpWebhookUrl: input.erpWebhookUrl ?? null,
      erpWebhookSecret: secret ? encryptField(secret) : null,
      mergeWindowMinutes: input.mergeWindowMinutes ?? 0,
    });
    await this.em.flush();
    return toWarehouseResponse(warehouse, secret);
  }

  async updateWarehouse(actor: ActorContext, warehouseId: string, input: UpdateWarehouseDto): Promise<WarehouseResponseDto> {
    assertOutgoingUrl(input.erpWebhookUrl, 'erpWebhookUrl', outgoingAllowListOf(this.config));
    const warehouse = await this.findWarehouse(actor, warehouseId);
    const receiveMode = input.receiveMode ?? warehouse.receiveMode;
    const url = input.erpWebhookUrl ?? warehouse.erpWebhookUrl ?? undefined;
    this.checkErpSettings(receiveMode, url);
    const newSecret = url && !warehouse.erpWebhookSecret ? generateToken('whsec', 24) : undefined;
    const statusChanged = input.status !== undefined && input.status !== warehouse.status;
    Object.assign(warehouse, Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)));
    if (input.province !== undefined) warehouse.province = warehouseProvince(input.province);
    if (newSecret) warehouse.erpWebhookSecret = encryptField(newSecret);
    await this.em.transactional(async (em) => {
      await em.flush();
      // What the warehouse holds stops (or starts) counting for every listing of this supplier.
      if (statusChanged) {
        await this.outbox.append(em, [
          {
            type: 'availability.stale',
            merchantId: actor.merchantId,
            aggregateId: `warehouse:${warehouse.id}`,
            payload: { sellerMerchantId: actor.merchantId, ownSkusOfMerchantId: actor.merchantId },
          },
        ]);
      }
    });
    return toWarehouseResponse(warehouse, newSecret);
  }

  async rotateErpSecret(actor: ActorContext, warehouseId: string): Promise<WarehouseResponseDto> {
    const warehouse = await this.findWarehouse(actor, warehouseId);
    if (!warehouse.erpWebhookUrl) throw new ConflictError('erp_webhook_not_configured', 'Set erpWebhookUrl on this warehouse first.');
    const secret = generateToken('whsec', 24);
    warehouse.erpWebhookSecret = encryptField(secret);
    await this.em.flush();
    return toWarehouseResponse(warehouse, secret);
  }

  async listWarehouses(actor: ActorContext, query: PageQueryDto): Promise<Page<WarehouseResponseDto>> {
    const { limit, after } = pageWindow(query);
    const warehouses = await this.em.find(Warehouse, { merchantId: actor.merchantId, ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return toPage(warehouses, limit, (warehouse) => toWarehouseResponse(warehouse));
  }

  async getWarehouse(actor: ActorContext, warehouseId: string): Promise<WarehouseResponseDto> {
    return toWarehouseResponse(await this.findWarehouse(actor, warehouseId));
  }

  /** The warehouse, if the acting merchant owns it; else 404. */
  async findWarehouse(actor: ActorContext, warehouseId: string): Promise<Warehouse> {
    const warehouse = isId(warehouseId) ? await this.em.findOne(Warehouse, { id: warehouseId, merchantId: actor.merchantId }) : null;
    if (!warehouse) throw new NotFoundError('warehouse', warehouseId);
    return warehouse;
  }

  /** Active warehouses of the given suppliers (for routing), read with plain SQL on the hot path. */
  async activeWarehousesOf(supplierMerchantIds: string[]): Promise<WarehouseFacts[]> {
    if (supplierMerchantIds.length === 0) return [];
    return this.warehouseFacts(`merchant_id = any(?::bigint[]) and status = 'active'`, [supplierMerchantIds]);
  }

  /** Facts of any warehouses by id, one statement for the batch. */
  async warehousesById(warehouseIds: string[]): Promise<Map<string, WarehouseFacts>> {
    if (warehouseIds.length === 0) return new Map();
    const warehouses = await this.warehouseFacts(`id = any(?::bigint[])`, [[...new Set(warehouseIds)]]);
    return new Map(warehouses.map((warehouse) => [warehouse.id, warehouse]));
  }

  private async warehouseFacts(where: string, params: unknown[]): Promise<WarehouseFacts[]> {
    const rows = await sqlRows<Record<string, unknown>>(
      this.em,
      `select id, merchant_id, code, province, priority, receive_mode, erp_webhook_url, merge_window_minutes, status
         from warehouse where ${where} order by id`,
      params,
    );
    return rows.map((row) => ({
      id: String(row.id),
      merchantId: String(row.merchant_id),
      code: String(row.code),
      province: String(row.province),
      priority: Number(row.priority),
      receiveMode: row.receive_mode as ReceiveMode,
      erpWebhookUrl: (row.erp_webhook_url as string | null) ?? null,
      mergeWindowMinutes: Number(row.merge_window_minutes),
      status: row.status as 'active' | 'inactive',
    }));
  }

  private newSku(actor: ActorContext, productId: string, input: CreateSkuDto) {
    return {
      merchantId: actor.merchantId,
      productId,
      code: input.code,
      name: input.name.trim(),
      specs: input.specs ?? {},
      spec: input.spec?.trim() || null,
      weightGrams: input.weightGrams ?? null,
      barcode: input.barcode ?? null,
    };
  }

  private checkErpSettings(receiveMode: string, url: string | undefined): void {
    if (receiveMode === 'erp_webhook' && !url) {
      throw ValidationFailedError.field('erpWebhookUrl', 'is required when receiveMode is erp_webhook');
    }
  }

  /** Duplicate codes, within the request or against existing SKUs, are named by field. */
  private async assertCodesFree(actor: ActorContext, skus: CreateSkuDto[], listField: string | null): Promise<void> {
    const fieldOf = (index: number) => (listField ? `${listField}[${index}].code` : 'code');
    skus.forEach((sku, index) => checkSpecs(sku.specs, listField ? `${listField}[${index}].specs` : 'specs'));
    const details: { field: string; reason: string }[] = [];
    const seen = new Map<string, number>();
    skus.forEach((sku, index) => {
      if (seen.has(sku.code)) details.push({ field: fieldOf(index), reason: `duplicates ${fieldOf(seen.get(sku.code)!)} (${sku.code})` });
      else seen.set(sku.code, index);
    });
    if (skus.length > 0) {
      const taken = await this.em.find(Sku, { merchantId: actor.merchantId, code: { $in: [...seen.keys()] } });
      for (const sku of taken) details.push({ field: fieldOf(seen.get(sku.code)!), reason: `SKU code ${sku.code} is already used by your SKU ${sku.id}` });
    }
    if (details.length > 0) {
      throw new DomainError('duplicate', 'sku_code_taken', `SKU codes must be unique among your SKUs: ${details.map((d) => `${d.field} ${d.reason}`).join('; ')}`, details);
    }
  }

  private async findProduct(actor: ActorContext, productId: string): Promise<Product> {
    const product = isId(productId) ? await this.em.findOne(Product, { id: productId, merchantId: actor.merchantId }) : null;
    if (!product) throw new NotFoundError('product', productId);
    return product;
  }

  private toProductResponse(product: Product, skus: Sku[]): ProductResponseDto {
    return { id: product.id, name: product.name, description: product.description, skus: skus.map(toSkuResponse), createdAt: product.createdAt.toISOString() };
  }
}
