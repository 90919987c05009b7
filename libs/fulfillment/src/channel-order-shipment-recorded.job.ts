import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxEventPayloads, OutboxJobData, OutboxJobHandler, OutboxService, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { ChannelsService, NewPlatformCall, PlatformCallsService } from '@gongxiao/channels';
import { OrdersService } from '@gongxiao/orders';
import { NewWebhookDelivery, WebhooksService } from '@gongxiao/webhooks';
import { payloadId } from './payload-ids';

const BATCH = JOB_ROUTES['channel_order.shipment_recorded'].group ?? 1;

type Notice = OutboxEventPayloads['channel_order.shipment_recorded'];

interface ShippedLine {
  shipment_id: string;
  channel_order_id: string;
  carrier_code: string;
  tracking_number: string;
  created_at: Date | string;
  channel_order_line_id: string;
  quantity: number;
}

/**
 * A shipment was recorded: tell the shop (callback URL, or its platform's own API through a platform
 * call), so it can mark the order shipped. Batched
 * (a tracking backfill records 10,000 parcels in a minute): one read each of the shop orders, their
 * shops and the shipped lines, and one statement for the deliveries, whatever the number of notices.
 */
@Injectable()
export class ChannelOrderShipmentRecordedJob implements OutboxJobHandler<'channel_order.shipment_recorded'> {
  readonly eventType = 'channel_order.shipment_recorded' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
    private readonly webhooks: WebhooksService,
    private readonly platformCalls: PlatformCallsService,
  ) {}

  async handle(job: OutboxJobData<'channel_order.shipment_recorded'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, BATCH, (em, payloads) => this.notify(em, payloads));
  }

  private async notify(em: EntityManager, payloads: Notice[]): Promise<void> {
    const notices = payloads.map((payload) => ({
      channelOrderId: payloadId(payload?.channelOrderId, 'channelOrderId', this.eventType),
      shipmentId: payloadId(payload?.shipmentId, 'shipmentId', this.eventType),
      orderStatus: payload.orderStatus,
    }));
    const found = await this.orders.ordersWithLinesById(em, [...new Set(notices.map((notice) => notice.channelOrderId))]);
    for (const notice of notices) if (!found.has(notice.channelOrderId)) throw new UnrecoverableError(`Shop order ${notice.channelOrderId} does not exist`);
    const shops = await this.channels.shopsForSystem([...new Set(notices.map((notice) => String(found.get(notice.channelOrderId)!.order.shop_id)))]);
    const shopOf = (notice: (typeof notices)[number]) => shops.get(String(found.get(notice.channelOrderId)!.order.shop_id));
    // A shop on a platform is told in the platform's own API (a platform call); a native one at its callback URL.
    const toPlatform = notices.filter((notice) => shopOf(notice) && shopOf(notice)!.integration !== 'native');
    const told = notices.filter((notice) => shopOf(notice)?.integration === 'native' && shopOf(notice)?.callbackUrl);
    if (told.length + toPlatform.length === 0) return;
    const linesOf = await this.shippedLines(em, [...told, ...toPlatform]);
    const parcels = [...told, ...toPlatform].map((notice) => {
      const { order, lines } = found.get(notice.channelOrderId)!;
      const ofShipment = linesOf.get(`${notice.shipmentId}|${notice.channelOrderId}`) ?? [];
      // The shop knows its order's lines by number, SKU code and its own line id: named from the orders context, in line order.
      const lineById = new Map(lines.map((line) => [line.id, line]));
      const shippedLines = ofShipment
        .map((row) => ({ line: lineById.get(row.channel_order_line_id)!, quantity: row.quantity }))
        .sort((a, b) => a.line.line_no - b.line.line_no)
        .map(({ line, quantity }) => ({ lineNo: line.line_no, shopSkuCode: line.shop_sku_code, externalLineId: line.external_line_id, quantity }));
      return { notice, order, shop: shopOf(notice)!, first: ofShipment[0], shippedLines, status: notice.orderStatus ?? order.status };
    });
    await this.webhooks.scheduleAll(
      em,
      parcels
        .filter(({ shop }) => shop.integration === 'native')
        .map(({ notice, order, shop, first, shippedLines, status }): NewWebhookDelivery => ({
          merchantId: String(order.merchant_id),
          targetKind: 'shop_callback',
          targetId: shop.id,
          eventType: status === 'shipped' ? 'channel_order.shipped' : 'channel_order.partially_shipped',
          subjectId: notice.channelOrderId,
          dedupKey: `shop:shipment:${notice.shipmentId}:${notice.channelOrderId}`,
          url: shop.callbackUrl!,
          data: {
            channelOrderId: notice.channelOrderId,
            externalOrderId: order.external_order_id,
            status,
            shipment: { id: notice.shipmentId, carrierCode: first?.carrier_code, trackingNumber: first?.tracking_number, lines: shippedLines.map(({ externalLineId: _, ...line }) => line) },
          },
        })),
    );
    await this.platformCalls.scheduleAll(
      em,
      parcels
        .filter(({ shop, first }) => shop.integration !== 'native' && first)
        .map(({ notice, order, shop, first, shippedLines, status }): NewPlatformCall => ({
          merchantId: String(order.merchant_id),
          shopId: shop.id,
          kind: 'shipment',
          dedupKey: `shipment:${notice.shipmentId}:${notice.channelOrderId}`,
          subjectId: notice.channelOrderId,
          payload: {
            shipmentId: notice.shipmentId,
            externalOrderId: order.external_order_id,
            orderShipped: status === 'shipped',
            carrierCode: first!.carrier_code,
            trackingNumber: first!.tracking_number,
            shippedAt: new Date(first!.created_at).toISOString(),
            lines: shippedLines,
          },
        })),
    );
  }

  /** The shipped lines of each (shipment, shop order), in one read. */
  private async shippedLines(em: EntityManager, notices: { shipmentId: string; channelOrderId: string }[]): Promise<Map<string, ShippedLine[]>> {
    const shipped = await sqlRows<ShippedLine>(
      em,
      `select s.id::text as shipment_id, fol.channel_order_id::text, s.carrier_code, s.tracking_number, s.created_at, fol.channel_order_line_id::text, sl.quantity
         from unnest(?::bigint[], ?::bigint[]) as n(shipment_id, channel_order_id)
         join shipment s on s.id = n.shipment_id
         join shipment_line sl on sl.shipment_id = s.id
         join fulfillment_order_line fol on fol.id = sl.fulfillment_order_line_id and fol.channel_order_id = n.channel_order_id`,
      [notices.map((notice) => notice.shipmentId), notices.map((notice) => notice.channelOrderId)],
    );
    const linesOf = new Map<string, ShippedLine[]>();
    for (const row of shipped) linesOf.set(`${row.shipment_id}|${row.channel_order_id}`, [...(linesOf.get(`${row.shipment_id}|${row.channel_order_id}`) ?? []), row]);
    return linesOf;
  }
}
