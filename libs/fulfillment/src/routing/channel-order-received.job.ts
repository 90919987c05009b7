import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { OrdersService } from '@gongxiao/orders';
import { payloadId } from '../payload-ids';
import { OrderRouter } from './order-router';

/** Orders routed per transaction at most (the relay's group for the type): under load one job routes the orders waiting behind it. */
const ROUTING_BATCH_SIZE = JOB_ROUTES['channel_order.received'].group ?? 1;

/**
 * A shop order was stored: split it by origin supplier and route it. Runs in one transaction with
 * the order rows claimed (locked, in id order), so a repeated job finds the order routed and does
 * nothing.
 *
 * Under load one job routes every order waiting behind it (up to ROUTING_BATCH_SIZE) in the same
 * transaction: listings, chains, warehouses, caps and stock are read once for the batch, the orders
 * are planned one after another against the same stock figures, and their fulfillment orders and
 * reservations are written with one statement each. Each order still gets exactly the outcome it
 * would get alone; when a concurrent order took stock between reading and reserving, the batch is
 * undone and planned again.
 */
@Injectable()
export class ChannelOrderReceivedJob implements OutboxJobHandler<'channel_order.received'> {
  readonly eventType = 'channel_order.received' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly orders: OrdersService,
    private readonly router: OrderRouter,
  ) {}

  async handle(job: OutboxJobData<'channel_order.received'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, ROUTING_BATCH_SIZE, async (em, payloads) => {
      const claimed = await this.orders.claimForRouting(
        em,
        payloads.map((payload) => payloadId(payload.channelOrderId, 'channelOrderId', this.eventType)),
      );
      if (claimed.length > 0) await this.router.routeAll(em, claimed);
    });
  }
}
