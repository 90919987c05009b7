import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, decodeIdCursor, ForbiddenError, IllegalTransitionError, isId, NotFoundError, OutboxService, Page, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { Partnership, PARTNERSHIP_LIFECYCLE, PartnershipStatus } from './partnership.entity';
import { InvitationSentResponseDto, InvitePartnerDto, ListPartnershipsQueryDto, PartnershipResponseDto } from './partnerships.dto';

/** A partnership's pair, status and currency, for other contexts. */
export interface PartnershipFacts {
  id: string;
  upstreamMerchantId: string;
  downstreamMerchantId: string;
  status: PartnershipStatus;
  currency: string;
}

/** The invited merchant sees every partnership it is invited to. */
const asDownstream = (actor: ActorContext) => ({ downstreamMerchantId: actor.merchantId });
/**
 * The inviting side sees a partnership once it was accepted (active or suspended): before, an id-based
 * invitation stays on the invitee's side, so inviting an id tells the inviter nothing about it.
 */
const asUpstream = (actor: ActorContext) => ({ upstreamMerchantId: actor.merchantId, status: { $in: ['active', 'suspended'] as PartnershipStatus[] } });

/** Invitations, acceptance and suspension of supply relationships between merchants. */
@Injectable()
export class PartnershipsService {
  constructor(
    private readonly em: EntityManager,
    private readonly merchants: MerchantsService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The acting merchant invites another, by id, to be its downstream partner. Ids are sequential, so
   * the answer is the same whether the id is a merchant or not, invited before or declined: nothing
   * to enumerate. The invitation shows on the invitee's side only; the inviter sees the partnership,
   * and the partner's name, once it is accepted.
   */
  async invite(actor: ActorContext, input: InvitePartnerDto): Promise<InvitationSentResponseDto> {
    if (input.downstreamMerchantId === actor.merchantId) {
      throw ValidationFailedError.field('downstreamMerchantId', 'is your own merchant: a merchant cannot partner with itself');
    }
    const sent: InvitationSentResponseDto = { status: 'sent', downstreamMerchantId: input.downstreamMerchantId };
    if ((await this.merchants.getMerchantName(input.downstreamMerchantId)) === null) return sent;
    const existing = await this.em.findOne(Partnership, { upstreamMerchantId: actor.merchantId, downstreamMerchantId: input.downstreamMerchantId });
    if (existing?.status === 'active' || existing?.status === 'suspended') {
      // The inviter already sees this partnership (and its partner's name) in its own list: nothing is revealed.
      throw new ConflictError('partnership_exists', `You already have a partnership with this merchant (id ${existing.id}, ${existing.status}).`, [
        { field: 'downstreamMerchantId', reason: `partnership ${existing.id} is ${existing.status}` },
      ]);
    }
    const terms = { invitedAt: new Date(), currency: input.currency ?? existing?.currency ?? 'CNY', note: input.note ?? existing?.note ?? null };
    if (existing) {
      if (existing.status === 'declined') this.transition(existing, 'invited', 'invite again');
      Object.assign(existing, terms);
      await this.em.flush();
      return sent;
    }
    await sqlRows(
      this.em,
      `insert into partnership (upstream_merchant_id, downstream_merchant_id, status, currency, settlement_cycle, note)
       values (?, ?, 'invited', ?, ?, ?) on conflict (upstream_merchant_id, downstream_merchant_id) do nothing`,
      [actor.merchantId, input.downstreamMerchantId, terms.currency, input.settlementCycle ?? 'monthly', terms.note],
    );
    return sent;
  }

  async accept(actor: ActorContext, partnershipId: string): Promise<PartnershipResponseDto> {
    return this.changeAvailability(async () => {
      const partnership = await this.findVisible(actor, partnershipId);
      if (partnership.downstreamMerchantId !== actor.merchantId) throw new ForbiddenError('Only the invited merchant can accept an invitation.');
      this.transition(partnership, 'active', 'accept');
      partnership.acceptedAt = new Date();
      return partnership;
    }, actor);
  }

  async decline(actor: ActorContext, partnershipId: string): Promise<PartnershipResponseDto> {
    const partnership = await this.findVisible(actor, partnershipId);
    if (partnership.downstreamMerchantId !== actor.merchantId) throw new ForbiddenError('Only the invited merchant can decline an invitation.');
    this.transition(partnership, 'declined', 'decline');
    await this.em.flush();
    return (await this.present(actor, [partnership]))[0];
  }

  /** Either side may suspend; while suspended no offer flows and no order routes through it. */
  async suspend(actor: ActorContext, partnershipId: string): Promise<PartnershipResponseDto> {
    return this.changeAvailability(async () => {
      const partnership = await this.findVisible(actor, partnershipId);
      this.transition(partnership, 'suspended', 'suspend');
      Object.assign(partnership, { suspendedAt: new Date(), suspendedByMerchantId: actor.merchantId });
      return partnership;
    }, actor);
  }

  /** Only the side that suspended a partnership can resume it. */
  async resume(actor: ActorContext, partnershipId: string): Promise<PartnershipResponseDto> {
    return this.changeAvailability(async () => {
      const partnership = await this.findVisible(actor, partnershipId);
      // Only a suspended partnership resumes: an invitation becomes active by the invitee's accept.
      if (partnership.status !== 'suspended') throw new IllegalTransitionError('partnership', partnership.status, 'resume');
      if (partnership.suspendedByMerchantId !== actor.merchantId) {
        throw new ForbiddenError('Only the partner that suspended this partnership can resume it.');
      }
      this.transition(partnership, 'active', 'resume');
      Object.assign(partnership, { suspendedAt: null, suspendedByMerchantId: null });
      return partnership;
    }, actor);
  }

  /**
   * A change that starts or stops goods flowing from the upstream partner: applied in one
   * transaction with an event that makes every listing of the upstream's goods show the new
   * availability.
   */
  private async changeAvailability(change: () => Promise<Partnership>, actor: ActorContext): Promise<PartnershipResponseDto> {
    const partnership = await this.em.transactional(async (em) => {
      const changed = await change();
      await em.flush();
      await this.outbox.append(em, [
        {
          type: 'availability.stale',
          merchantId: actor.merchantId,
          aggregateId: `partnership:${changed.id}`,
          payload: { sellerMerchantId: changed.upstreamMerchantId },
        },
      ]);
      return changed;
    });
    return (await this.present(actor, [partnership]))[0];
  }

  async get(actor: ActorContext, partnershipId: string): Promise<PartnershipResponseDto> {
    return (await this.present(actor, [await this.findVisible(actor, partnershipId)]))[0];
  }

  async list(actor: ActorContext, query: ListPartnershipsQueryDto): Promise<Page<PartnershipResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const sides = query.side === 'upstream' ? [asDownstream(actor)] : query.side === 'downstream' ? [asUpstream(actor)] : [asDownstream(actor), asUpstream(actor)];
    const rows = await this.em.find(
      Partnership,
      { $or: sides, ...(query.status ? { status: query.status } : {}), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: limit + 1 },
    );
    const presented = await this.present(actor, rows);
    const byId = new Map(presented.map((item) => [item.id, item]));
    return toPage(rows, limit, (row) => byId.get(row.id)!);
  }

  /** True when `upstream` currently supplies `downstream`. */
  async isActive(upstreamMerchantId: string, downstreamMerchantId: string): Promise<boolean> {
    const found = await this.em.count(Partnership, { upstreamMerchantId, downstreamMerchantId, status: 'active' });
    return found > 0;
  }

  /** Merchants that actively supply `merchantId`. */
  async activeUpstreamsOf(merchantId: string): Promise<string[]> {
    const rows = await this.em.find(Partnership, { downstreamMerchantId: merchantId, status: 'active' }, { fields: ['upstreamMerchantId'] });
    return rows.map((row) => row.upstreamMerchantId);
  }

  /** Which of the (upstream, downstream) pairs are active partnerships, as "upstream:downstream" keys. */
  async activePairs(pairs: { upstreamMerchantId: string; downstreamMerchantId: string }[]): Promise<Set<string>> {
    return new Set((await this.activePairCurrencies(pairs)).keys());
  }

  /** The active partnerships among the pairs, "upstream:downstream" → the currency they settle in. */
  async activePairCurrencies(pairs: { upstreamMerchantId: string; downstreamMerchantId: string }[]): Promise<Map<string, string>> {
    if (pairs.length === 0) return new Map();
    const rows = await sqlRows<{ upstream_merchant_id: string; downstream_merchant_id: string; currency: string }>(
      this.em,
      `select p.upstream_merchant_id, p.downstream_merchant_id, p.currency
         from partnership p join unnest(?::bigint[], ?::bigint[]) as r(u, d) on p.upstream_merchant_id = r.u and p.downstream_merchant_id = r.d
        where p.status = 'active'`,
      [pairs.map((pair) => pair.upstreamMerchantId), pairs.map((pair) => pair.downstreamMerchantId)],
    );
    return new Map(rows.map((row) => [`${row.upstream_merchant_id}:${row.downstream_merchant_id}`, row.currency]));
  }

  /**
   * The partnerships with these ids that `merchantId` takes part in (either side), with their pair,
   * status and currency: one round trip for any number of ids (others' ids are absent).
   */
  async partnershipsOf(merchantId: string, partnershipIds: string[]): Promise<Map<string, PartnershipFacts>> {
    const ids = partnershipIds.filter(isId);
    if (ids.length === 0) return new Map();
    const rows = await sqlRows<{ id: string; upstream_merchant_id: string; downstream_merchant_id: string; status: PartnershipStatus; currency: string }>(
      this.em,
      `select id::text, upstream_merchant_id::text, downstream_merchant_id::text, status, currency from partnership
        where id = any(?::bigint[]) and ? in (upstream_merchant_id, downstream_merchant_id)`,
      [ids, merchantId],
    );
    return new Map(
      rows.map((row) => [row.id, { id: row.id, upstreamMerchantId: row.upstream_merchant_id, downstreamMerchantId: row.downstream_merchant_id, status: row.status, currency: row.currency }]),
    );
  }

  /** The partnership of each (upstream, downstream) pair, keyed "upstream:downstream" (pairs without one are absent). */
  async partnershipsOfPairs(pairs: { upstreamMerchantId: string; downstreamMerchantId: string }[]): Promise<Map<string, PartnershipFacts>> {
    if (pairs.length === 0) return new Map();
    const rows = await sqlRows<{ id: string; upstream_merchant_id: string; downstream_merchant_id: string; status: PartnershipStatus; currency: string }>(
      this.em,
      `select p.id::text, p.upstream_merchant_id::text, p.downstream_merchant_id::text, p.status, p.currency
         from partnership p join unnest(?::bigint[], ?::bigint[]) as r(u, d) on p.upstream_merchant_id = r.u and p.downstream_merchant_id = r.d`,
      [pairs.map((pair) => pair.upstreamMerchantId), pairs.map((pair) => pair.downstreamMerchantId)],
    );
    return new Map(
      rows.map((row) => [
        `${row.upstream_merchant_id}:${row.downstream_merchant_id}`,
        { id: row.id, upstreamMerchantId: row.upstream_merchant_id, downstreamMerchantId: row.downstream_merchant_id, status: row.status, currency: row.currency },
      ]),
    );
  }

  private transition(partnership: Partnership, to: PartnershipStatus, action: string): void {
    PARTNERSHIP_LIFECYCLE.assert(partnership.status, to, action);
    partnership.status = to;
  }

  private async findVisible(actor: ActorContext, partnershipId: string): Promise<Partnership> {
    const partnership = isId(partnershipId)
      ? await this.em.findOne(Partnership, {
          id: partnershipId,
          $or: [asUpstream(actor), asDownstream(actor)],
        })
      : null;
    if (!partnership) throw new NotFoundError('partnership', partnershipId);
    return partnership;
  }

  private async present(actor: ActorContext, partnerships: Partnership[]): Promise<PartnershipResponseDto[]> {
    const ids = [...new Set(partnerships.flatMap((p) => [p.upstreamMerchantId, p.downstreamMerchantId]))];
    const names = await this.merchants.namesOf(ids);
    return partnerships.map((p) => ({
      id: p.id,
      upstream: { merchantId: p.upstreamMerchantId, name: names.get(p.upstreamMerchantId) ?? '' },
      // The invitee's name only once it accepted (the inviter does not even see the row before; this holds for any path).
      downstream: { merchantId: p.downstreamMerchantId, name: p.acceptedAt ? (names.get(p.downstreamMerchantId) ?? '') : null },
      yourSide: p.upstreamMerchantId === actor.merchantId ? 'upstream' : 'downstream',
      status: p.status,
      settlementCycle: p.settlementCycle,
      currency: p.currency,
      note: p.note,
      invitedAt: p.invitedAt.toISOString(),
      acceptedAt: p.acceptedAt?.toISOString() ?? null,
      suspendedAt: p.suspendedAt?.toISOString() ?? null,
      suspendedBy: p.suspendedByMerchantId === null ? null : p.suspendedByMerchantId === p.upstreamMerchantId ? 'upstream' : 'downstream',
    }));
  }
}
