import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ForbiddenError } from '@gongxiao/core';
import { ReturnCasesService, ReturnRow } from './return-cases.service';
import { ReturnPresenter } from './return.presenter';
import { ReturnResponseDto } from './returns.dto';

/**
 * Runs one move of a case as `role` in one transaction, the case locked: others of the chain get a
 * 403 naming who may; merchants outside it a 404. Then tells every party (unless nothing changed)
 * and answers the actor's view. Every decision, receipt and refund goes through here.
 */
@Injectable()
export class ReturnMovesService {
  constructor(
    private readonly em: EntityManager,
    private readonly cases: ReturnCasesService,
    private readonly presenter: ReturnPresenter,
  ) {}

  /** `apply` returns false when nothing changed (a repeat of the same move). */
  async move(actor: ActorContext, returnId: string, role: 'supplier' | 'distributor', action: string, apply: (em: EntityManager, row: ReturnRow) => Promise<void | false>): Promise<ReturnResponseDto> {
    return this.em.transactional(async (em) => {
      const { row } = await this.cases.findVisible(em, actor, returnId, true);
      const allowed = role === 'supplier' ? row.supplier_merchant_id : row.distributor_merchant_id;
      if (String(allowed) !== actor.merchantId) throw new ForbiddenError(`Only the ${role} of this return may ${action} it.`);
      const changed = await apply(em, row);
      const updated = await this.cases.byId(em, row.id);
      if (changed !== false) await this.cases.announce(em, updated);
      return (await this.presenter.present(em, actor.merchantId, [updated]))[0];
    });
  }
}
