import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ReturnAutoApprovalService } from '@gongxiao/aftersales';
import { AppConfig } from '@gongxiao/core';
import { InterceptionsService, OverdueSweepService, ProductionRunSweepService } from '@gongxiao/fulfillment';
import { ensureStockMovementPartitions } from '@gongxiao/inventory';
import { ClosePeriodService } from '@gongxiao/settlement';
import { WebhooksService } from '@gongxiao/webhooks';

/**
 * The sweep for work that is overdue rather than triggered: interception requests the supplier left
 * unanswered are escalated; webhook deliveries left waiting behind their ordering key with nothing to
 * wake them are woken; payees' months close by themselves once their auto-close delay after the
 * month's end has passed; return cases the supplier left undecided past their deadline are approved
 * automatically; fulfillment orders past their ship-by are announced overdue once; made-to-order runs close at their cut-off; stock movements' monthly partitions are kept ready three months ahead. Run by the maintenance queue's job scheduler (once per interval across all
 * workers); still safe if two ran at once (rows are claimed with SKIP LOCKED).
 */
@Injectable()
export class Sweeper {
  private readonly logger = new Logger('sweeper');

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly interceptions: InterceptionsService,
    private readonly webhooks: WebhooksService,
    private readonly periods: ClosePeriodService,
    private readonly returnApprovals: ReturnAutoApprovalService,
    private readonly overdue: OverdueSweepService,
    private readonly productionRuns: ProductionRunSweepService,
  ) {}

  async sweep(): Promise<void> {
    // First, and on its own: a month without its partition would fill the default one.
    try {
      const partitions = await ensureStockMovementPartitions(this.orm.em.fork() as EntityManager);
      if (partitions.length > 0) this.logger.log({ partitions }, 'created monthly partitions of stock movements');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not create the monthly partitions of stock movements; the next sweep tries again');
    }
    const escalated = await RequestContext.create(this.orm.em, () => this.interceptions.escalateOverdue(this.config.INTERCEPTION_ESCALATE_MINUTES));
    if (escalated > 0) this.logger.log({ escalated }, 'escalated unanswered interception requests');
    const woken = await this.webhooks.wakeStrandedDeliveries(this.orm.em.fork() as EntityManager);
    if (woken > 0) this.logger.warn({ woken }, 'woke webhook deliveries left waiting behind their ordering key');
    const closed = await RequestContext.create(this.orm.em, () => this.periods.closeDue());
    if (closed > 0) this.logger.log({ closed }, 'closed months automatically');
    const approved = await RequestContext.create(this.orm.em, () => this.returnApprovals.approveOverdue(new Date()));
    if (approved > 0) this.logger.log({ approved }, 'approved return cases left undecided past their deadline');
    const overdue = await RequestContext.create(this.orm.em, () => this.overdue.markOverdue(new Date()));
    if (overdue > 0) this.logger.log({ overdue }, 'announced fulfillment orders past their ship-by');
    const runs = await RequestContext.create(this.orm.em, () => this.productionRuns.closeDue(new Date()));
    if (runs > 0) this.logger.log({ runs }, 'closed made-to-order production runs at their cut-off');
  }
}
