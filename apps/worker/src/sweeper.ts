import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@gongxiao/core';
import { InterceptionsService } from '@gongxiao/fulfillment';
import { ClosePeriodService } from '@gongxiao/settlement';
import { WebhooksService } from '@gongxiao/webhooks';

/**
 * Periodic sweeps for work that is overdue rather than triggered: interception requests the
 * supplier left unanswered are escalated; webhook deliveries left waiting behind their ordering key
 * with nothing to wake them are woken; payees' months close by themselves once their auto-close
 * delay after the month's end has passed. Safe with several workers (rows are claimed with SKIP LOCKED).
 */
@Injectable()
export class Sweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sweeper');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly interceptions: InterceptionsService,
    private readonly webhooks: WebhooksService,
    private readonly periods: ClosePeriodService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = null));
    }, this.config.SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const escalated = await RequestContext.create(this.orm.em, () => this.interceptions.escalateOverdue(this.config.INTERCEPTION_ESCALATE_MINUTES));
      if (escalated > 0) this.logger.log({ escalated }, 'escalated unanswered interception requests');
      const woken = await this.webhooks.wakeStrandedDeliveries(this.orm.em.fork() as EntityManager);
      if (woken > 0) this.logger.warn({ woken }, 'woke webhook deliveries left waiting behind their ordering key');
      const closed = await RequestContext.create(this.orm.em, () => this.periods.closeDue());
      if (closed > 0) this.logger.log({ closed }, 'closed months automatically');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'sweep failed; it runs again at the next interval');
    }
  }
}
