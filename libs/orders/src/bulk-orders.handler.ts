import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  ConflictError,
  DomainError,
  Permission,
  SheetImportContext,
  SheetImportHandler,
  SheetImportOutcome,
  SheetLanguageCode,
  SheetRow,
  ValidationFailedError,
  whenNotFound,
} from '@gongxiao/core';
import { ChannelsService, Shop } from '@gongxiao/channels';
import { OrdersService } from './orders.service';
import { BulkOrderPlan, planBulkOrders, PlannedOrder, reject, RejectedSheetRow } from './bulk-orders/bulk-order-plan';
import { namedIn } from './bulk-orders/bulk-order-rows';
import { BULK_ORDER_COLUMNS, BULK_ORDER_HEADERS, BULK_ORDER_SPEC, BulkOrderColumn } from './bulk-orders/bulk-orders.sheet';
import { aboutColumn } from './bulk-orders/bulk-order-reasons';
import { say } from './bulk-orders/order-sheet-cells';
import { receivedOrders } from './bulk-orders/received-orders';

/** Order times without an offset are on the merchant's wall clock: Asia/Shanghai (+08:00, no daylight saving). */
const MERCHANT_UTC_OFFSET = '+08:00';

/** Thrown inside the transaction to undo an all-or-nothing upload whose orders did not all go in. */
class NothingApplied extends Error {
  constructor(
    readonly rejected: RejectedSheetRow[],
    readonly unchanged: number,
  ) {
    super('all-or-nothing upload rolled back');
  }
}

/**
 * Orders by spreadsheet for shops without an API (微商, small sellers): each order of the sheet goes
 * through `OrdersService.ingest` exactly like a signed push (the same DTO validation, the same
 * idempotency on shop + external order number, the same `channel_order.received` event, so routing
 * is the same). The shop's listings and the orders already received are read once for the sheet.
 */
@Injectable()
export class BulkOrdersHandler implements SheetImportHandler<BulkOrderColumn> {
  readonly kind = 'channel_orders';
  /** What entering an order by hand (POST /v1/channel-orders) needs. */
  readonly permission: Permission = 'orders:write';
  readonly spec = BULK_ORDER_SPEC;
  readonly templateHeaders = BULK_ORDER_HEADERS;
  readonly fields = [{ name: 'shopId', required: true }];

  constructor(
    private readonly em: EntityManager,
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
  ) {}

  async apply(context: SheetImportContext, rows: SheetRow<BulkOrderColumn>[]): Promise<SheetImportOutcome> {
    context.actor.require(this.permission);
    try {
      return await this.em.transactional(async (em) => {
        const shop = await this.shopOf(context.actor, context.fields, context.language);
        const named = namedIn(rows);
        const plan = await planBulkOrders(rows, {
          shopName: shop.name,
          listings: await this.channels.resolveListings(em, shop.id, named.skuCodes),
          received: await receivedOrders(em, shop.id, named.orderNos),
          utcOffset: MERCHANT_UTC_OFFSET,
        });
        if (context.mode === 'all_or_nothing' && plan.rejected.length > 0) return this.outcome(context, 0, plan.unchangedRows, plan.rejected);
        return this.ingestAll(context, shop, plan, rows.length);
      });
    } catch (error) {
      if (!(error instanceof NothingApplied)) throw error;
      return this.outcome(context, 0, error.unchanged, error.rejected);
    }
  }

  /** At upload: the form's shop is the uploader's and takes orders (a 404 or 403 naming shopId, storing nothing). */
  async checkFields(actor: ActorContext, fields: Record<string, string>, language: SheetLanguageCode): Promise<void> {
    await this.shopOf(actor, fields, language);
  }

  /** The shop of the form's shopId: one of the uploader's, and taking orders (as a push requires); checked at upload and again here. */
  private async shopOf(actor: ActorContext, fields: Record<string, string>, language: SheetLanguageCode): Promise<Shop> {
    const shopId = fields.shopId ?? '';
    const english = language === 'en';
    if (shopId === '') throw ValidationFailedError.field('shopId', english ? 'is required: the shop the orders are for' : '必填：这些订单属于哪个店铺');
    const shop = await whenNotFound(
      this.channels.findShop(actor, shopId),
      () => new DomainError('not_found', 'shop_not_found', english ? `You have no shop ${shopId}.` : `您没有店铺 ${shopId}。`, [{ field: 'shopId', reason: 'not one of your shops' }]),
    );
    if (shop.status !== 'active') {
      throw new DomainError('forbidden', 'shop_disabled', english ? `Shop "${shop.name}" is disabled: enable it to accept orders.` : `店铺「${shop.name}」已停用：启用后才能接单。`, [
        { field: 'shopId', reason: 'the shop is disabled' },
      ]);
    }
    return shop;
  }

  /**
   * Ingests every new order in the upload's transaction. An order that a push received meanwhile
   * with other content is rejected; all-or-nothing then undoes the others too.
   */
  private async ingestAll(context: SheetImportContext, shop: Shop, plan: BulkOrderPlan, total: number): Promise<SheetImportOutcome> {
    let applied = 0;
    let unchanged = plan.unchangedRows;
    const failures: BulkOrderPlan = { orders: [], unchangedRows: 0, rejected: [] };
    let done = total - plan.orders.reduce((sum, order) => sum + order.rows.length, 0);
    await context.progress(done, total);
    for (const order of plan.orders) {
      try {
        const result = await this.orders.ingest({ id: shop.id, merchantId: shop.merchantId }, order.input, 'sheet', rawPayload(context, order));
        if (result.created) applied += order.rows.length;
        else unchanged += order.rows.length;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reject(failures, order.input.externalOrderId, order.rows, new Map(), [ingestRefused(error, order.input.externalOrderId)]);
      }
      done += order.rows.length;
      await context.progress(done, total);
    }
    const rejected = [...plan.rejected, ...failures.rejected].sort((a, b) => a.rowNumber - b.rowNumber);
    if (context.mode === 'all_or_nothing' && failures.rejected.length > 0) throw new NothingApplied(rejected, plan.unchangedRows);
    return this.outcome(context, applied, unchanged, rejected);
  }

  private outcome(context: SheetImportContext, applied: number, unchanged: number, rejected: RejectedSheetRow[]): SheetImportOutcome {
    return {
      applied,
      unchanged,
      rejected: rejected.map((row) => ({ rowNumber: row.rowNumber, cells: BULK_ORDER_COLUMNS.map((column) => row.values[column]), reason: row.reason[context.language] })),
    };
  }
}

/** Kept with the order for audit: where it came from, and the rows as uploaded. */
function rawPayload(context: SheetImportContext, order: PlannedOrder) {
  return { source: 'sheet', importId: context.importId, fileDigest: context.fileDigest, rows: order.rows };
}

function ingestRefused(error: DomainError, orderNo: string) {
  if (error instanceof ConflictError) {
    return aboutColumn(
      'orderNo',
      say(
        `订单 ${orderNo} 刚刚已从店铺收到，内容与表格不同：请核对后用新订单号上传`,
        `order ${orderNo} was just received from the shop with other content: check it, and upload under a new order number if it is another order`,
      ),
    );
  }
  return say(`订单 ${orderNo} 未导入：${error.message}`, `order ${orderNo} was not imported: ${error.message}`);
}
