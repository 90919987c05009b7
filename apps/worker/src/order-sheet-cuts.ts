import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { OrderSheetCutterService } from '@gongxiao/fulfillment';

/**
 * The minutely cut of the order-sheet batches that are due (发货单批次), in its own unit of work.
 * Run by the maintenance queue's job scheduler: once a minute across all workers, and safe if two
 * ran at once (schedules are claimed with SKIP LOCKED, batches cut under a lock per warehouse).
 */
@Injectable()
export class OrderSheetCuts {
  constructor(
    private readonly orm: MikroORM,
    private readonly cutter: OrderSheetCutterService,
  ) {}

  async run(now = new Date()): Promise<number> {
    const batches = await RequestContext.create(this.orm.em, () => this.cutter.cutDueBatches(now));
    return batches.length;
  }
}
