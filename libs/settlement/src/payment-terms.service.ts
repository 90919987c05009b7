import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ForbiddenError, NotFoundError, OutboxService, sqlExec, ValidationFailedError } from '@gongxiao/core';
import { PartnershipsService } from '@gongxiao/partnerships';
import { lockBalances, pairKey } from './balances';
import { BalancesViewService } from './balances-view.service';
import { BalanceResponseDto, PaymentTermsDto } from './settlement.dto';

/**
 * Payment terms and credit of a partnership, set by its upstream (the seller): on account within a
 * credit limit (none = unlimited), or prepaid. More room for the buyer (a higher or no limit, other
 * terms) is a `funds.added` event, so orders held for insufficient funds are routed again.
 */
@Injectable()
export class PaymentTermsService {
  constructor(
    private readonly em: EntityManager,
    private readonly partnerships: PartnershipsService,
    private readonly outbox: OutboxService,
    private readonly view: BalancesViewService,
  ) {}

  async set(actor: ActorContext, partnershipId: string, input: PaymentTermsDto): Promise<BalanceResponseDto> {
    const partnership = (await this.partnerships.partnershipsOf(actor.merchantId, [partnershipId])).get(partnershipId);
    if (!partnership) throw new NotFoundError('partnership', partnershipId);
    if (partnership.upstreamMerchantId !== actor.merchantId) throw new ForbiddenError('Only the upstream (supplying) side of a partnership sets its payment terms.');
    if (input.creditLimit && input.creditLimit.currency !== partnership.currency) {
      throw ValidationFailedError.field('creditLimit.currency', `must be the partnership's currency ${partnership.currency}`, 'currency_mismatch');
    }
    if (input.creditLimit && input.terms === 'prepaid') throw ValidationFailedError.field('creditLimit', 'applies to on_account terms only');
    const pair = { sellerMerchantId: partnership.upstreamMerchantId, buyerMerchantId: partnership.downstreamMerchantId, currency: partnership.currency };
    const balanceId = await this.em.transactional(async (em) => {
      const before = (await lockBalances(em, [pair])).get(pairKey(pair))!;
      const limit = BigInt(input.creditLimit?.amount ?? 0);
      await sqlExec(em, `update settlement_balance set terms = ?, credit_limit_amount = ?, updated_at = now() where id = ?`, [input.terms, limit.toString(), before.id]);
      const raised = input.terms === 'on_account' && before.terms === 'on_account' && before.creditLimit > 0n && (limit === 0n || limit > before.creditLimit);
      if (raised || input.terms !== before.terms) {
        await this.outbox.append(em, [{ type: 'funds.added', merchantId: pair.buyerMerchantId, aggregateId: before.id, payload: pair }]);
      }
      return before.id;
    });
    return this.view.one(actor, 'receivable', balanceId);
  }
}
