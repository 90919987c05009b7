import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, OutboxJobData, OutboxJobHandler, OutboxService, outgoingAllowListOf, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { PlatformCallOutcome, PlatformIntegration, PlatformOutbound, PlatformShop, ShipmentCall, StockCall } from './platform-adapter';
import { PlatformCallRow } from './platform-calls.service';
import { PlatformShopsService } from './platform-shops.service';
import { shopifyOutbound } from './shopify/shopify.outbound';
import { wooCommerceOutbound } from './woocommerce/woocommerce.outbound';
import { youzanOutbound } from './youzan/youzan.outbound';

/** A platform call that failed but may succeed later: BullMQ retries it with backoff. */
export class PlatformCallFailed extends Error {}

const OUTBOUND: { [P in PlatformIntegration]: PlatformOutbound<P> } = { shopify: shopifyOutbound, woocommerce: wooCommerceOutbound, youzan: youzanOutbound };

/**
 * Makes one call to a shop's platform: claims its row (pending or retrying, or calling for longer than
 * six times the time allowed: a worker died mid-call; never while an earlier call of the same subject
 * is unsettled: a shop order's parcels are added one after another, and a shop's stock calls, subject
 * `stock:<shopId>`, are made in order so an older value never lands after a newer one), calls the platform through its adapter and
 * records the outcome. A failure that may pass (429, 5xx, the network) makes the job fail so BullMQ
 * retries it, until the row's attempts reach WEBHOOK_MAX_ATTEMPTS; one that will not (401, 403, 404,
 * 422, a refused destination, a call that cannot be made) fails for good at once, its reason kept.
 */
@Injectable()
export class PlatformCallCreatedJob implements OutboxJobHandler<'platform_call.created'> {
  readonly eventType = 'platform_call.created' as const;
  private readonly logger = new Logger('platform-calls');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly shops: PlatformShopsService,
    private readonly config: AppConfig,
  ) {}

  async handle(job: OutboxJobData<'platform_call.created'>): Promise<void> {
    const callId = job.payload.platformCallId;
    const [claimed] = await sqlRows<PlatformCallRow>(
      this.em,
      `update platform_call set status = 'calling', attempts = attempts + 1, last_attempt_at = now()
        where id = ? and (status in ('pending', 'retrying') or (status = 'calling' and last_attempt_at < now() - make_interval(secs => ?)))
          and not exists (
            select 1 from platform_call e
             where e.shop_id = platform_call.shop_id and e.subject_id = platform_call.subject_id and e.id < platform_call.id and e.status in ('pending', 'calling', 'retrying'))
        returning *`,
      [callId, Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 6],
    );
    if (!claimed) {
      const current = await sqlOne<{ status: string }>(this.em, `select status from platform_call where id = ?`, [callId]);
      // Being made by another job, or waiting for an earlier call of the same subject (parcels and stock are told in order).
      if (current && ['pending', 'calling', 'retrying'].includes(current.status)) throw new PlatformCallFailed(`Platform call ${callId} waits for another call (${current.status})`);
      // Done, skipped or given up already (a repeated job), or gone.
      await this.em.transactional((em) => this.outbox.markProcessed(em, job.eventId));
      return;
    }
    const outcome = await this.call(claimed).catch((error: Error): PlatformCallOutcome => ({
      status: 'failed',
      retry: true,
      statusCode: null,
      error: 'The call could not be made',
      detail: error.message,
    }));
    const final = await this.record(claimed, outcome, job.eventId);
    if (!final) throw new PlatformCallFailed(`Platform call ${callId} attempt ${claimed.attempts} failed: ${outcome.status === 'failed' ? outcome.error : ''}`);
  }

  private async call(row: PlatformCallRow): Promise<PlatformCallOutcome> {
    const shop = await this.shops.platformShopForSystem(String(row.shop_id));
    if (!shop) return { status: 'failed', retry: false, statusCode: null, error: `Shop ${row.shop_id} is no longer a platform shop` };
    const context = { timeoutMs: this.config.WEBHOOK_TIMEOUT_MS, allowList: outgoingAllowListOf(this.config) };
    const outbound = OUTBOUND[shop.integration] as PlatformOutbound<PlatformShop['integration']>;
    return row.kind === 'shipment' ? outbound.tellShipment(shop as never, row.payload as ShipmentCall, context) : outbound.tellStock(shop as never, row.payload as StockCall, context);
  }

  /** Records the outcome (only while the row is still this job's); true when the call is settled: done, skipped or failed for good. */
  private async record(row: PlatformCallRow, outcome: PlatformCallOutcome, eventId: string): Promise<boolean> {
    const final = outcome.status !== 'failed' || !outcome.retry || row.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    const status = outcome.status === 'failed' ? (final ? 'failed' : 'retrying') : outcome.status;
    await this.em.transactional(async (em) => {
      await sqlExec(
        em,
        `update platform_call set status = ?, last_status_code = ?, last_error = ?, outcome_note = coalesce(?, outcome_note),
                done_at = case when ? in ('done', 'skipped') then now() else done_at end
          where id = ? and status = 'calling'`,
        [status, outcome.statusCode, outcome.status === 'failed' ? outcome.error.slice(0, 1000) : null, outcome.status === 'failed' ? null : (outcome.note?.slice(0, 1000) ?? null), status, row.id],
      );
      if (final) await this.outbox.markProcessed(em, eventId);
    });
    if (outcome.status === 'failed') {
      this.logger.warn(
        { platformCallId: row.id, shopId: row.shop_id, kind: row.kind, attempt: row.attempts, final, error: outcome.error, detail: outcome.detail, statusCode: outcome.statusCode },
        'platform call failed',
      );
    }
    return final;
  }
}
