import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  decryptField,
  openField,
  ENDPOINT_UNREACHABLE,
  OutboxJobData,
  OutboxJobHandler,
  outboxMarkProcessedSql,
  OutboxService,
  outgoingAllowListOf,
  postSignedEvent,
  SignedPostOutcome,
  sqlExec,
  sqlRows,
} from '@gongxiao/core';
import { EARLIER_IN_FLIGHT, wakeNextSql } from './delivery-ordering.sql';
import { DeliveryRow } from './webhooks.service';

/** A delivery attempt that failed but may succeed later: BullMQ retries it with backoff. */
export class WebhookAttemptFailed extends Error {}

/** How long, and how often, a delivery held behind one being sent is claimed again. */
const HELD_CLAIM_PAUSE_MS = 20;
const HELD_CLAIM_ROUNDS = 5;

type ClaimedDelivery = DeliveryRow & { signing_secret: string | null; ordering_key: string | null };

/**
 * Sends outgoing webhooks: claims the job's deliveries (one, or the group the relay handed it) with
 * their signing secrets, POSTs them at the same time, and records the outcomes. Deliveries that
 * failed but may succeed later make the job fail, so BullMQ retries it with backoff; delivered ones
 * are never sent again. Deliveries sharing an ordering key leave one after another: a later one
 * waits (its event settled) while an earlier one is unsent, and the earlier one's outcome wakes it.
 */
@Injectable()
export class WebhookDeliveryCreatedJob implements OutboxJobHandler<'webhook_delivery.created'> {
  readonly eventType = 'webhook_delivery.created' as const;
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async handle(job: OutboxJobData<'webhook_delivery.created'>): Promise<void> {
    const eventOf = new Map([[job.payload.webhookDeliveryId, job.eventId], ...(job.more ?? []).map((event) => [event.payload.webhookDeliveryId, event.eventId] as const)]);
    const deliveryIds = [...eventOf.keys()];
    const claimed = await this.claimWaitingBriefly(deliveryIds);
    const claimedIds = new Set(claimed.map((row) => String(row.id)));
    const unclaimed = deliveryIds.filter((id) => !claimedIds.has(id));
    const inFlightElsewhere = unclaimed.length > 0 ? await this.settleUnclaimed(unclaimed, eventOf) : undefined;
    const outcomes = await Promise.all(
      claimed.map(async (row) => ({
        row,
        outcome: await this.send(row).catch((error: Error): SignedPostOutcome => ({ ok: false, statusCode: null, error: ENDPOINT_UNREACHABLE, detail: `Could not send: ${error.message}` })),
      })),
    );
    await this.recordDelivered(
      outcomes.filter((item) => item.outcome.ok),
      eventOf,
    );
    let retry: string | undefined;
    for (const { row, outcome } of outcomes) {
      if (outcome.ok) continue;
      const final = await this.recordFailure(row, outcome, eventOf.get(String(row.id))!);
      if (!final) retry ??= `Delivery ${row.id} attempt ${row.attempts} failed: ${outcome.error}`;
    }
    if (retry) throw new WebhookAttemptFailed(retry);
    if (inFlightElsewhere) throw new WebhookAttemptFailed(`Delivery ${inFlightElsewhere} is being handled by another job`);
  }

  /**
   * Claims the deliveries still to send, with each target's current signing secret (read through
   * the owners' views): one round trip for the group. A delivery whose ordering key has an earlier
   * delivery unsent is left alone.
   */
  private claim(deliveryIds: string[]): Promise<ClaimedDelivery[]> {
    return sqlRows<ClaimedDelivery>(
      this.em,
      `with claimed as (
         update webhook_delivery w set status = 'delivering', attempts = attempts + 1, last_attempt_at = now()
          where id = any(?::bigint[]) and (status in ('pending', 'retrying') or (status = 'delivering' and last_attempt_at < now() - make_interval(secs => ?)))
            and (ordering_key is null or not ${EARLIER_IN_FLIGHT})
          returning *
       )
       select c.*, case c.target_kind
                     when 'warehouse_erp' then (select secret from warehouse_signing_secret where warehouse_id = c.target_id)
                     when 'subscription' then (select secret from webhook_subscription where id = c.target_id and status = 'active')
                     else (select secret from shop_signing_secret where shop_id = c.target_id)
                   end as signing_secret
         from claimed c`,
      [deliveryIds, Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 3],
    );
  }

  /**
   * Claims the deliveries; one held behind an earlier delivery of its key that is being sent right
   * now (the usual case: a "cancelled" notice right after its order's "created", whose outcome is
   * about to be recorded) is claimed again after a moment, a few times, rather than left to be
   * woken through the outbox a round trip later.
   */
  private async claimWaitingBriefly(deliveryIds: string[]): Promise<ClaimedDelivery[]> {
    const claimed = await this.claim(deliveryIds);
    for (let round = 0; round < HELD_CLAIM_ROUNDS && claimed.length < deliveryIds.length; round++) {
      const claimedIds = new Set(claimed.map((row) => String(row.id)));
      const held = await sqlRows<{ id: string }>(
        this.em,
        `select w.id::text from webhook_delivery w
          where w.id = any(?::bigint[]) and w.status = 'pending' and w.ordering_key is not null
            and exists (select 1 from webhook_delivery e where e.ordering_key = w.ordering_key and e.id < w.id and e.status = 'delivering')`,
        [deliveryIds.filter((id) => !claimedIds.has(id))],
      );
      if (held.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, HELD_CLAIM_PAUSE_MS));
      claimed.push(...(await this.claim(held.map((row) => row.id))));
    }
    return claimed;
  }

  /**
   * Deliveries this job could not claim: delivered or given up already (a repeated job), gone, or
   * waiting behind an earlier delivery of their ordering key (which wakes them) are done for this
   * job. Anything else is being handled by another job (sending, or waiting to retry): returned, so
   * that this job tries again later.
   */
  private async settleUnclaimed(unclaimed: string[], eventOf: Map<string, string>): Promise<string | undefined> {
    const rows = await sqlRows<{ id: string; status: string; waiting: boolean }>(
      this.em,
      `select w.id::text, w.status, (w.status = 'pending' and w.ordering_key is not null and ${EARLIER_IN_FLIGHT}) as waiting
         from webhook_delivery w where w.id = any(?::bigint[])`,
      [unclaimed],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const settled = unclaimed.filter((id) => {
      const row = byId.get(id);
      return !row || row.waiting || row.status === 'delivered' || row.status === 'failed';
    });
    if (settled.length > 0) await sqlExec(this.em, outboxMarkProcessedSql('?::bigint[]'), [settled.map((id) => eventOf.get(id)!)]);
    return unclaimed.find((id) => !settled.includes(id));
  }

  /** One statement (atomic on its own) for every delivery that got through: no transaction. */
  private async recordDelivered(delivered: { row: ClaimedDelivery; outcome: SignedPostOutcome }[], eventOf: Map<string, string>): Promise<void> {
    if (delivered.length === 0) return;
    const keys = [...new Set(delivered.flatMap(({ row }) => (row.ordering_key ? [row.ordering_key] : [])))];
    await sqlExec(
      this.em,
      `with delivered as (
         update webhook_delivery w set status = 'delivered', delivered_at = now(), last_status_code = d.code, last_error = null
           from unnest(?::bigint[], ?::int[]) as d(id, code) where w.id = d.id
       )${keys.length > 0 ? `, processed as (${outboxMarkProcessedSql('?::bigint[]')})\n       ${wakeNextSql('?::text[]')}` : `\n       ${outboxMarkProcessedSql('?::bigint[]')}`}`,
      [delivered.map(({ row }) => row.id), delivered.map(({ outcome }) => outcome.statusCode), delivered.map(({ row }) => eventOf.get(String(row.id))!), ...(keys.length > 0 ? [keys] : [])],
    );
  }

  /**
   * Records a failed attempt; true when it was the last one (the delivery failed for good). A
   * blocked destination fails at once: the address will not become one outgoing calls may reach by
   * waiting, and the merchant redelivers by hand once the endpoint is fixed. The record gets the
   * outcome's merchant-facing text; what really happened goes to the server log only.
   */
  private async recordFailure(row: ClaimedDelivery, outcome: Extract<SignedPostOutcome, { ok: false }>, eventId: string): Promise<boolean> {
    const final = row.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS || outcome.blocked === true;
    await this.em.transactional(async (em) => {
      // Only while still this job's: a slow send must not overwrite what a later attempt recorded.
      await sqlExec(em, `update webhook_delivery set status = ?, last_status_code = ?, last_error = ? where id = ? and status = 'delivering'`, [
        final ? 'failed' : 'retrying',
        outcome.statusCode,
        outcome.error.slice(0, 1000),
        row.id,
      ]);
      if (!final) return;
      await this.outbox.markProcessed(em, eventId);
      if (row.ordering_key) await sqlExec(em, wakeNextSql('?::text[]'), [[row.ordering_key]]);
    });
    this.logger.warn({ deliveryId: row.id, attempt: row.attempts, final, error: outcome.error, detail: outcome.detail, statusCode: outcome.statusCode }, 'webhook delivery failed');
    return final;
  }

  private async send(row: ClaimedDelivery): Promise<SignedPostOutcome> {
    // Stored encrypted (read through the owners' views in the claim); decrypted only to sign.
    const secret = row.signing_secret === null ? null : decryptField(row.signing_secret);
    if (!secret)
      return {
        ok: false,
        statusCode: null,
        error: `The ${row.target_kind === 'warehouse_erp' ? 'warehouse' : row.target_kind === 'subscription' ? 'subscription' : 'shop'} ${row.target_id} has no signing secret any more`,
      };
    return postSignedEvent(row.url, secret, row.event_type, row.event_id, deliveryBody(row.payload), this.config.WEBHOOK_TIMEOUT_MS, outgoingAllowListOf(this.config));
  }
}

/** The body a delivery sends: stored encrypted as a JSON string (rows from before that hold the body itself). */
export function deliveryBody(stored: unknown): unknown {
  return typeof stored === 'string' ? JSON.parse(openField(stored)) : stored;
}
