import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto, pageWindow, sqlRows, toPage } from '@gongxiao/core';
import { OrdersService } from '@gongxiao/orders';
import { WebhooksService } from '@gongxiao/webhooks';
import { InterceptionResponseDto } from '../cancellation.dto';
import { InterceptionRow, presentInterception } from './interception.presenter';

/**
 * Interception requests the supplier works from: its list, and the sweep that escalates those left
 * unanswered (answering one is `AnswerInterceptionService`).
 */
@Injectable()
export class InterceptionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly orders: OrdersService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** Newest first. */
  async list(supplierMerchantId: string, query: PageQueryDto): Promise<Page<InterceptionResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<InterceptionRow>(this.em, `select * from interception_request where supplier_merchant_id = ? and (?::bigint is null or id < ?::bigint) order by id desc limit ?`, [
      supplierMerchantId,
      after,
      after,
      limit + 1,
    ]);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      presentInterception,
    );
  }

  /**
   * Escalates interception requests the supplier left unanswered for `minutes`: each once, as an
   * event to the supplier's and the distributor's subscriptions. Returns how many were escalated.
   */
  async escalateOverdue(minutes: number): Promise<number> {
    return this.em.transactional(async (em) => {
      const overdue = await sqlRows<{ id: string; fulfillment_order_id: string; channel_order_id: string; supplier_merchant_id: string }>(
        em,
        `update interception_request i set escalated_at = now()
          where i.status = 'requested' and i.escalated_at is null
            and i.created_at < now() - make_interval(mins => ?)
            and i.id in (select id from interception_request where status = 'requested' and escalated_at is null order by id limit 500 for update skip locked)
          returning i.id::text, i.fulfillment_order_id::text, i.channel_order_id::text, i.supplier_merchant_id::text`,
        [minutes],
      );
      const orders = await this.orders.ordersById(em, [...new Set(overdue.map((row) => row.channel_order_id))]);
      for (const row of overdue) {
        const distributorId = String(orders.get(row.channel_order_id)!.merchant_id);
        await this.webhooks.publish(em, [row.supplier_merchant_id, distributorId], 'interception.escalated', row.id, `interception-escalated:${row.id}`, (merchantId) => ({
          interceptionRequestId: row.id,
          ...(merchantId === row.supplier_merchant_id ? { fulfillmentOrderId: row.fulfillment_order_id } : { channelOrderId: row.channel_order_id }),
          unansweredForMinutes: minutes,
        }));
      }
      return overdue.length;
    });
  }
}
