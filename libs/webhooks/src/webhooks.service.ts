import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ActorContext,
  AppConfig,
  assertOutgoingUrl,
  ConflictError,
  decodeIdCursor,
  encryptField,
  generateToken,
  isId,
  NotFoundError,
  outboxInsertSql,
  OutboxService,
  outgoingAllowListOf,
  Page,
  PageQueryDto,
  pageWindow,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
} from '@gongxiao/core';
import { EARLIER_IN_FLIGHT, wakeNextSql } from './delivery-ordering.sql';
import { CreateSubscriptionDto, SubscribableEvent, SubscriptionResponseDto } from './subscriptions.dto';
import { ListWebhookDeliveriesQueryDto, WebhookDeliveryResponseDto } from './webhooks.dto';

export type WebhookTargetKind = 'warehouse_erp' | 'shop_callback' | 'subscription';

export interface NewWebhookDelivery {
  merchantId: string;
  targetKind: WebhookTargetKind;
  targetId: string;
  eventType: string;
  subjectId: string;
  /** The same key never makes a second delivery (e.g. "erp:fulfillment_order.created:<id>"). */
  dedupKey: string;
  /**
   * Deliveries with the same key are sent one after another, in the order they were created (the
   * notices of one fulfillment order to its ERP: "fulfillment_order:<id>"); none when order does not matter.
   */
  orderingKey?: string;
  url: string;
  data: unknown;
}

export interface DeliveryRow {
  id: string;
  merchant_id: string;
  target_kind: WebhookTargetKind;
  target_id: string;
  event_type: string;
  event_id: string;
  subject_id: string;
  url: string;
  payload: unknown;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

interface SubscriptionRow {
  id: string;
  merchant_id: string;
  url: string;
  events: string[];
  status: string;
  created_at: Date;
}

function toSubscriptionResponse(row: SubscriptionRow): SubscriptionResponseDto {
  return { id: String(row.id), url: row.url, events: row.events, status: row.status, createdAt: new Date(row.created_at).toISOString() };
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function toResponse(row: DeliveryRow): WebhookDeliveryResponseDto {
  return {
    id: String(row.id),
    targetKind: row.target_kind,
    targetId: String(row.target_id),
    eventType: row.event_type,
    eventId: row.event_id,
    subjectId: row.subject_id,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    deliveredAt: iso(row.delivered_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Outgoing webhooks (supplier ERP endpoints, shop callbacks, subscriptions): a row per delivery,
 * status and attempts visible, redelivery by hand. Sending is `WebhookDeliveryCreatedJob`'s.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** Records a delivery and its outbox event, in the caller's transaction. Idempotent on dedupKey. */
  async schedule(em: EntityManager, delivery: NewWebhookDelivery): Promise<void> {
    await this.scheduleAll(em, [delivery]);
  }

  /** Records deliveries and their outbox events with one statement; a dedupKey already used is skipped. */
  async scheduleAll(em: EntityManager, deliveries: NewWebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const createdAt = new Date().toISOString();
    const rows = deliveries.map((delivery) => {
      const eventId = randomUUID();
      // The body may carry contact data (an ERP's order): stored encrypted, as a JSON string, decrypted only to send.
      const body = JSON.stringify({ id: eventId, event: delivery.eventType, createdAt, data: delivery.data });
      return { ...delivery, eventId, payload: JSON.stringify(encryptField(body)) };
    });
    await sqlExec(
      em,
      `with delivery as (
         insert into webhook_delivery (merchant_id, target_kind, target_id, event_type, event_id, subject_id, dedup_key, url, payload, ordering_key)
         select * from unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[])
         on conflict (dedup_key) do nothing returning id, merchant_id
       )
       ${outboxInsertSql(`select 'webhook_delivery.created', merchant_id, id::text, jsonb_build_object('webhookDeliveryId', id::text) from delivery order by id`)}`,
      [
        rows.map((row) => row.merchantId),
        rows.map((row) => row.targetKind),
        rows.map((row) => row.targetId),
        rows.map((row) => row.eventType),
        rows.map((row) => row.eventId),
        rows.map((row) => row.subjectId),
        rows.map((row) => row.dedupKey),
        rows.map((row) => row.url),
        rows.map((row) => row.payload),
        rows.map((row) => row.orderingKey ?? null),
      ],
    );
  }

  /** Which of these dedup keys made a delivery already (in the caller's transaction). */
  async dedupKeysTaken(em: EntityManager, dedupKeys: string[]): Promise<Set<string>> {
    if (dedupKeys.length === 0) return new Set();
    const rows = await sqlRows<{ dedup_key: string }>(em, `select dedup_key from webhook_delivery where dedup_key = any(?::text[])`, [dedupKeys]);
    return new Set(rows.map((row) => row.dedup_key));
  }

  /**
   * A sweep for deliveries left waiting behind an ordering key with nothing to wake them (the one
   * before them finished in the very moment they were found waiting): the first unsent delivery of
   * a key, pending for over a minute with nothing before it in flight, is woken. Returns how many.
   */
  async wakeStrandedDeliveries(em: EntityManager): Promise<number> {
    const keys = await sqlRows<{ ordering_key: string }>(
      em,
      `select distinct w.ordering_key from webhook_delivery w
        where w.ordering_key is not null and w.status = 'pending' and w.created_at < now() - interval '1 minute'
          and not ${EARLIER_IN_FLIGHT}
        limit 500`,
    );
    if (keys.length === 0) return 0;
    await sqlExec(em, wakeNextSql('?::text[]'), [keys.map((row) => row.ordering_key)]);
    return keys.length;
  }

  async list(actor: ActorContext, query: ListWebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<DeliveryRow>(
      this.em,
      `select * from webhook_delivery where merchant_id = ?
          and (?::text is null or status = ?::text) and (?::text is null or subject_id = ?::text) and (?::bigint is null or id < ?::bigint)
        order by id desc limit ?`,
      [actor.merchantId, query.status ?? null, query.status ?? null, query.subjectId ?? null, query.subjectId ?? null, before, before, limit + 1],
    );
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toResponse,
    );
  }

  async get(actor: ActorContext, deliveryId: string): Promise<WebhookDeliveryResponseDto> {
    return toResponse(await this.findOwn(this.em, actor, deliveryId));
  }

  /** Sends a delivery again (after the endpoint was fixed): same event id, attempts start over. */
  async redeliver(actor: ActorContext, deliveryId: string): Promise<WebhookDeliveryResponseDto> {
    return this.em.transactional(async (em) => {
      const row = await this.findOwn(em, actor, deliveryId, true);
      if (row.status === 'delivering' || row.status === 'pending' || row.status === 'retrying') {
        throw new ConflictError('webhook_delivery_in_progress', `Delivery ${row.id} is ${row.status}: wait for it to finish before redelivering.`);
      }
      const updated = (await sqlOne<DeliveryRow>(em, `update webhook_delivery set status = 'pending', attempts = 0, last_error = null where id = ? returning *`, [row.id]))!;
      await this.outbox.append(em, [{ type: 'webhook_delivery.created', merchantId: actor.merchantId, aggregateId: String(row.id), payload: { webhookDeliveryId: String(row.id) } }]);
      return toResponse(updated);
    });
  }

  async createSubscription(actor: ActorContext, input: CreateSubscriptionDto): Promise<SubscriptionResponseDto> {
    assertOutgoingUrl(input.url, 'url', outgoingAllowListOf(this.config));
    const secret = generateToken('whsec', 24);
    const row = (await sqlOne<SubscriptionRow>(this.em, `insert into webhook_subscription (merchant_id, url, events, secret) values (?, ?, ?::text[], ?) returning *`, [
      actor.merchantId,
      input.url,
      input.events,
      encryptField(secret),
    ]))!;
    return { ...toSubscriptionResponse(row), secret };
  }

  async listSubscriptions(actor: ActorContext, query: PageQueryDto): Promise<Page<SubscriptionResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<SubscriptionRow>(this.em, `select * from webhook_subscription where merchant_id = ? and (?::bigint is null or id > ?::bigint) order by id limit ?`, [
      actor.merchantId,
      after,
      after,
      limit + 1,
    ]);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toSubscriptionResponse,
    );
  }

  async deleteSubscription(actor: ActorContext, subscriptionId: string): Promise<void> {
    const deleted = isId(subscriptionId)
      ? await sqlOne(this.em, `update webhook_subscription set status = 'disabled' where id = ? and merchant_id = ? and status = 'active' returning id`, [subscriptionId, actor.merchantId])
      : undefined;
    if (!deleted) throw new NotFoundError('webhook subscription', subscriptionId);
  }

  /**
   * Sends an event to every active subscription of these merchants that asked for it, in the
   * caller's transaction (one delivery each, deduplicated on dedupKey + subscription).
   */
  async publish(em: EntityManager, merchantIds: string[], eventType: SubscribableEvent, subjectId: string, dedupKey: string, dataFor: (merchantId: string) => unknown): Promise<number> {
    if (merchantIds.length === 0) return 0;
    const subscriptions = await sqlRows<SubscriptionRow>(em, `select * from webhook_subscription where merchant_id = any(?::bigint[]) and status = 'active' and ? = any(events)`, [
      merchantIds,
      eventType,
    ]);
    for (const subscription of subscriptions) {
      await this.schedule(em, {
        merchantId: String(subscription.merchant_id),
        targetKind: 'subscription',
        targetId: String(subscription.id),
        eventType,
        subjectId,
        dedupKey: `${dedupKey}:subscription:${subscription.id}`,
        url: subscription.url,
        data: dataFor(String(subscription.merchant_id)),
      });
    }
    return subscriptions.length;
  }

  private async findOwn(em: EntityManager, actor: ActorContext, deliveryId: string, lock = false): Promise<DeliveryRow> {
    const row = isId(deliveryId)
      ? await sqlOne<DeliveryRow>(em, `select * from webhook_delivery where id = ? and merchant_id = ?${lock ? ' for update' : ''}`, [deliveryId, actor.merchantId])
      : undefined;
    if (!row) throw new NotFoundError('webhook delivery', deliveryId);
    return row;
  }
}
