import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { ChannelOrderRow, consigneeOf, ConsigneeColumns } from '../channel-order.rows';
import { provinceOf, splitChineseAddress } from './china-address';
import { OrderDraft, sameName } from './bulk-order-assembly';
import { BulkOrderColumn } from './bulk-orders.sheet';

/** An order a shop already sent (pushed, entered by hand or uploaded), as a sheet row is compared with it. */
export interface ReceivedOrder {
  id: string;
  externalOrderId: string;
  consignee: OrderDraft['consignee'];
  lines: { shopSkuCode: string; quantity: number; unitPrice: number }[];
  remarks: string | null;
  placedAt: Date | null;
}

/** The shop's orders with these external order numbers, with their lines (contacts decrypted): one statement. */
export async function receivedOrders(em: EntityManager, shopId: string, externalOrderIds: string[]): Promise<Map<string, ReceivedOrder>> {
  if (externalOrderIds.length === 0) return new Map();
  const rows = await sqlRows<ConsigneeColumns & Pick<ChannelOrderRow, 'id' | 'external_order_id' | 'remarks' | 'placed_at'> & { lines: { code: string; quantity: number; price: string | number }[] }>(
    em,
    `select c.id::text, c.external_order_id, c.consignee_name, c.consignee_phone, c.province, c.city, c.district, c.address, c.remarks, c.placed_at,
            (select coalesce(json_agg(json_build_object('code', l.shop_sku_code, 'quantity', l.quantity, 'price', l.unit_price_amount) order by l.line_no), '[]'::json)
               from channel_order_line l where l.channel_order_id = c.id) as lines
       from channel_order c where c.shop_id = ? and c.external_order_id = any(?::text[])`,
    [shopId, externalOrderIds],
  );
  return new Map(
    rows.map((row) => [
      row.external_order_id,
      {
        id: row.id,
        externalOrderId: row.external_order_id,
        consignee: consigneeOf(row),
        lines: row.lines.map((line) => ({ shopSkuCode: line.code, quantity: line.quantity, unitPrice: Number(line.price) })),
        remarks: row.remarks,
        placedAt: row.placed_at ? new Date(row.placed_at) : null,
      },
    ]),
  );
}

/**
 * The columns in which a sheet's order differs from the order received before under its number
 * (none: the same order, uploaded again). Compared as a person would: phone numbers by digits,
 * regions by name ("浙江" is "浙江省"), addresses without spaces or a repeated region; a price or
 * remark or order time the sheet left empty is not compared.
 */
export function differingColumns(received: ReceivedOrder, draft: OrderDraft, pricesGiven: boolean[]): BulkOrderColumn[] {
  const differing: BulkOrderColumn[] = [];
  const mine = draft.consignee;
  const theirs = received.consignee;
  if (mine.name.trim() !== theirs.name.trim()) differing.push('consignee');
  if (digits(mine.phone) !== digits(theirs.phone)) differing.push('phone');
  if ((provinceOf(mine.province) ?? mine.province) !== (provinceOf(theirs.province) ?? theirs.province)) differing.push('province');
  if (!sameName(mine.city, theirs.city)) differing.push('city');
  if (!sameName(mine.district, theirs.district)) differing.push('district');
  if (street(mine.address, mine) !== street(theirs.address, theirs)) differing.push('address');
  const lines = draft.lines;
  const sameLength = lines.length === received.lines.length;
  if (!sameLength || lines.some((line, index) => line.shopSkuCode !== received.lines[index].shopSkuCode)) differing.push('skuCode');
  if (!sameLength || lines.some((line, index) => line.quantity !== received.lines[index].quantity)) differing.push('quantity');
  if (!sameLength || lines.some((line, index) => pricesGiven[index] && line.unitPrice !== received.lines[index].unitPrice)) differing.push('unitPrice');
  if (draft.remarks !== undefined && draft.remarks.trim() !== (received.remarks ?? '').trim()) differing.push('remarks');
  if (draft.placedAt !== undefined && Date.parse(draft.placedAt) !== received.placedAt?.getTime()) differing.push('placedAt');
  return [...new Set(differing)];
}

const digits = (text: string) => text.replace(/\D/g, '').replace(/^(86|0086)(?=1\d{10}$)/, '');

/** An address without spaces and without the region in front of it, when it repeats it ("浙江省杭州市西湖区文三路90号" is "文三路90号"). */
function street(address: string, region: { province: string; city: string; district: string }): string {
  const compact = address.normalize('NFKC').replace(/[\s\u3000,，]+/g, '');
  const split = splitChineseAddress(compact);
  if (split) return split.street;
  const province = provinceOf(region.province) ?? region.province;
  const names = [province, province.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, ''), region.city, region.city.replace(/市$/, ''), region.district].filter(
    (name) => name.length > 0,
  );
  let rest = compact;
  for (const name of names) if (rest.startsWith(name)) rest = rest.slice(name.length);
  return rest;
}
