import type { WarehouseFacts } from '@gongxiao/catalog';
import type { ChainHop } from '@gongxiao/offers';
import type { ChannelOrderLineRow, ChannelOrderRow } from '@gongxiao/orders';
import { ResolvedLine, ResolvedOrder } from './routing.types';

/** Builders for the routing specs: only what routing reads is filled in. */
export function warehouseFacts(id: string, merchantId: string, overrides: Partial<WarehouseFacts> = {}): WarehouseFacts {
  return {
    id,
    merchantId,
    code: `W${id}`,
    province: '浙江省',
    priority: 100,
    receiveMode: 'inbox',
    erpWebhookUrl: null,
    mergeWindowMinutes: 0,
    status: 'active',
    ...overrides,
  };
}

export function channelOrder(id: string, overrides: Partial<ChannelOrderRow> = {}): ChannelOrderRow {
  return {
    id,
    merchant_id: 'distributor',
    shop_id: 'shop',
    external_order_id: `E${id}`,
    consignee_name: '张三',
    consignee_phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    address: '文三路 100 号',
    remarks: null,
    currency: 'CNY',
    total_amount: '0',
    status: 'received',
    exception_code: null,
    exception_reason: null,
    received_at: new Date(0),
    routed_at: null,
    ...overrides,
  };
}

export function orderLine(id: string, orderId: string, lineNo: number, quantity: number, shopSkuCode = `CODE-${id}`): ChannelOrderLineRow {
  return {
    id,
    channel_order_id: orderId,
    line_no: lineNo,
    shop_sku_code: shopSkuCode,
    title: null,
    quantity,
    unit_price_amount: '100',
    shipped_quantity: 0,
    cancelled_quantity: 0,
    external_line_id: null,
  };
}

export function chainHop(overrides: Partial<ChainHop> & Pick<ChainHop, 'sellerMerchantId' | 'buyerMerchantId'>): ChainHop {
  return {
    offerId: `offer-${overrides.sellerMerchantId}`,
    offeredToMerchantId: null,
    priceAmount: 5000,
    shippingFeeAmount: 0,
    currency: 'CNY',
    status: 'active',
    originMerchantId: 'supplier',
    originSkuId: 'sku-1',
    returnWindowDays: 7,
    shipWithinHours: 48,
    ...overrides,
  };
}

/** An order whose lines are all the given supplier's SKUs (`hops` empty: own goods). */
export function resolvedOrder(
  id: string,
  lines: { skuId: string; quantity: number; supplierId?: string; hops?: ChainHop[]; listingId?: string }[],
  overrides: Partial<ChannelOrderRow> = {},
): ResolvedOrder {
  const order = channelOrder(id, overrides);
  return {
    order,
    lines: lines.map((line, index): ResolvedLine => ({
      line: orderLine(`${id}-${index + 1}`, id, index + 1, line.quantity),
      listingId: line.listingId ?? `listing-${line.skuId}`,
      supplierMerchantId: line.supplierId ?? 'supplier',
      skuId: line.skuId,
      hops: line.hops ?? [],
    })),
  };
}
