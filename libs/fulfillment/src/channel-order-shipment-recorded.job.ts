import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { ChannelsService } from '@gongxiao/channels';
import { OrdersService } from '@gongxiao/orders';
import { WebhooksService } from '@gongxiao/webhooks';
import { payloadId } from './payload-ids';

/** A shipment was recorded: tell the shop (callback URL), so it can mark the order shipped. */
@Injectable()
export class ChannelOrderShipmentRecordedJob implements OutboxJobHandler<'channel_order.shipment_recorded'> {
  readonly eventType = 'channel_order.shipment_recorded' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
    private readonly webhooks: WebhooksService,
  ) {}

  async handle(job: OutboxJobData<'channel_order.shipment_recorded'>): Promise<void> {
    const channelOrderId = payloadId(job.payload.channelOrderId, 'channelOrderId', this.eventType);
    const shipmentId = payloadId(job.payload.shipmentId, 'shipmentId', this.eventType);
    await this.em.transactional(async (em) => {
      const found = (await this.orders.ordersWithLinesById(em, [channelOrderId])).get(channelOrderId);
      if (!found) throw new UnrecoverableError(`Shop order ${channelOrderId} does not exist`);
      const { order, lines } = found;
      const shop = await this.channels.shopForSystem(String(order.shop_id));
      if (shop?.callbackUrl) {
        const shipped = await sqlRows<{ carrier_code: string; tracking_number: string; channel_order_line_id: string; quantity: number }>(
          em,
          `select s.carrier_code, s.tracking_number, fol.channel_order_line_id::text, sl.quantity
             from shipment s
             join shipment_line sl on sl.shipment_id = s.id
             join fulfillment_order_line fol on fol.id = sl.fulfillment_order_line_id
            where s.id = ? and fol.channel_order_id = ?`,
          [shipmentId, channelOrderId],
        );
        // The shop knows its order's lines by number and SKU code: named from the orders context, in line order.
        const lineById = new Map(lines.map((line) => [line.id, line]));
        const shippedLines = shipped
          .map((row) => ({ line: lineById.get(row.channel_order_line_id)!, quantity: row.quantity }))
          .sort((a, b) => a.line.line_no - b.line.line_no)
          .map(({ line, quantity }) => ({ lineNo: line.line_no, shopSkuCode: line.shop_sku_code, quantity }));
        await this.webhooks.schedule(em, {
          merchantId: String(order.merchant_id),
          targetKind: 'shop_callback',
          targetId: shop.id,
          eventType: (job.payload.orderStatus ?? order.status) === 'shipped' ? 'channel_order.shipped' : 'channel_order.partially_shipped',
          subjectId: channelOrderId,
          dedupKey: `shop:shipment:${shipmentId}:${channelOrderId}`,
          url: shop.callbackUrl,
          data: {
            channelOrderId,
            externalOrderId: order.external_order_id,
            status: job.payload.orderStatus ?? order.status,
            shipment: {
              id: shipmentId,
              carrierCode: shipped[0]?.carrier_code,
              trackingNumber: shipped[0]?.tracking_number,
              lines: shippedLines,
            },
          },
        });
      }
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
