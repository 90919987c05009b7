import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  ConflictError,
  decodeIdCursor,
  DomainError,
  encodeIdCursor,
  IllegalTransitionError,
  isId,
  money,
  NotFoundError,
  OutboxService,
  Page,
  sqlExec,
  sqlRows,
  toPage,
  ValidationFailedError,
  whenNotFound,
} from '@gongxiao/core';
import { CatalogService, Sku, skusOwnedBy } from '@gongxiao/catalog';
import { MerchantsService } from '@gongxiao/merchants';
import { PartnershipsService } from '@gongxiao/partnerships';
import { Offer } from './offer.entity';
import { assertOriginDecides, assertSomethingToChange } from './offer-input-checks';
import { ChainHop, findChainProblem } from './offer-chain';
import { MAX_CHAIN_DEPTH, offerChainsOf } from './offer-chains.query';
import { OfferTrialsService, presentTrial, trialKey, trialTermsOf } from './offer-trials.service';
import { AvailableOfferResponseDto, CreateOfferDto, ListOffersQueryDto, OfferSkuDto, OwnOfferResponseDto, UpdateOfferDto } from './offers.dto';

/** An offer as a link of chains: who sells to whom, and what it re-shares. */
export interface OfferLink {
  id: string;
  sellerMerchantId: string;
  offeredToMerchantId: string | null;
  upstreamOfferId: string | null;
  status: string;
  originSkuId: string;
}

function toSkuView(sku: Sku | undefined): OfferSkuDto {
  return { id: sku?.id ?? '', code: sku?.code ?? '', name: sku?.name ?? '', specs: sku?.specs ?? {}, weightGrams: sku?.weightGrams ?? null, barcode: sku?.barcode ?? null };
}

/**
 * The offer chain: supplier → broker → … → distributor. Each merchant sees only the price it
 * pays (offers available to it) and the price it charges (its own offers).
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly partnerships: PartnershipsService,
    private readonly merchants: MerchantsService,
    private readonly outbox: OutboxService,
    private readonly trials: OfferTrialsService,
  ) {}

  async create(actor: ActorContext, input: CreateOfferDto): Promise<OwnOfferResponseDto> {
    if (Boolean(input.skuId) === Boolean(input.upstreamOfferId)) {
      throw new ValidationFailedError('Give either skuId (your own SKU) or upstreamOfferId (an offer you received to re-share), not both or neither.', [
        { field: input.skuId ? 'upstreamOfferId' : 'skuId', reason: 'exactly one of skuId and upstreamOfferId is required' },
      ]);
    }
    if (input.buyerMerchantId) await this.assertActivePartner(actor, input.buyerMerchantId);

    let origin: { merchantId: string; skuId: string; depth: number; chainSellers: string[] };
    let upstream: Offer | null = null;
    if (input.skuId) {
      const sku = await whenNotFound(
        this.catalog.findSku(actor, input.skuId),
        () =>
          new DomainError('not_found', 'sku_not_found', `You have no SKU ${input.skuId}: you can only offer your own SKUs, or re-share an offer you received.`, [
            { field: 'skuId', reason: 'not one of your SKUs' },
          ]),
      );
      origin = { merchantId: actor.merchantId, skuId: sku.id, depth: 0, chainSellers: [actor.merchantId] };
    } else {
      upstream = await this.findAvailable(actor, input.upstreamOfferId!, 'upstreamOfferId');
      const hops = (await this.chainsOf(this.em, [{ offerId: upstream.id, buyerMerchantId: actor.merchantId }])).get(upstream.id)!;
      origin = { merchantId: upstream.originMerchantId, skuId: upstream.originSkuId, depth: upstream.depth + 1, chainSellers: hops.map((hop) => hop.sellerMerchantId) };
      if (origin.depth > MAX_CHAIN_DEPTH) {
        throw ValidationFailedError.field('upstreamOfferId', `chains are limited to ${MAX_CHAIN_DEPTH} re-shares`);
      }
      if (input.price.currency !== upstream.currency) {
        throw ValidationFailedError.field('price.currency', `must be ${upstream.currency}, the currency of the offer you re-share`);
      }
      this.assertWindowWithin(input.returnWindowDays, upstream);
      assertOriginDecides(input.returnDecisionHours);
    }
    if (input.shippingFee && input.shippingFee.currency !== input.price.currency) {
      throw ValidationFailedError.field('shippingFee.currency', `must be ${input.price.currency}, the currency of the price`);
    }
    if (input.buyerMerchantId && origin.chainSellers.includes(input.buyerMerchantId)) {
      throw new DomainError('invalid', 'offer_chain_cycle', `Merchant ${input.buyerMerchantId} already sells this offer upstream of you: offering it back would make a cycle.`, [
        { field: 'buyerMerchantId', reason: 'already in the chain of this offer' },
      ]);
    }
    const trial = input.trial ? trialTermsOf(input.trial, input.price) : null;
    try {
      const offer = this.em.create(Offer, {
        sellerMerchantId: actor.merchantId,
        buyerMerchantId: input.buyerMerchantId ?? null,
        upstreamOfferId: upstream?.id ?? null,
        originMerchantId: origin.merchantId,
        originSkuId: origin.skuId,
        depth: origin.depth,
        priceAmount: input.price.amount,
        shippingFeeAmount: input.shippingFee?.amount ?? 0,
        currency: input.price.currency,
        returnWindowDays: input.returnWindowDays ?? upstream?.returnWindowDays ?? 7,
        returnDecisionHours: input.returnDecisionHours ?? 48,
        shipWithinHours: input.shipWithinHours ?? upstream?.shipWithinHours ?? 48,
      });
      await this.em.flush();
      // Validated above: the statement's checks are the same, so it cannot fail on the input.
      if (trial) await this.trials.save(this.em, offer.id, trial);
      return (await this.presentOwn([offer]))[0];
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('offer_exists', 'You already have an active offer of these goods to this audience: change its price instead.', [
          { field: input.skuId ? 'skuId' : 'upstreamOfferId', reason: 'already offered to this audience' },
        ]);
      }
      throw error;
    }
  }

  /**
   * Changes the price, the shipping fee, the return window, the standards and/or the trial; orders
   * already routed keep what was frozen then. In one transaction on the locked offer row, so a price and
   * a trial changed at the same time are checked against each other and never land half-way.
   */
  async update(actor: ActorContext, offerId: string, input: UpdateOfferDto): Promise<OwnOfferResponseDto> {
    assertSomethingToChange(input);
    const own = await this.findOwn(actor, offerId);
    const upstream = own.upstreamOfferId ? await this.em.findOne(Offer, { id: own.upstreamOfferId }) : null;
    const updated = await this.em.transactional(async (em) => {
      const offer = await em.findOneOrFail(Offer, { id: own.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (offer.status === 'withdrawn') throw new IllegalTransitionError('offer', offer.status, 'change'); // a suspended offer changes and stays suspended
      if (input.price && input.price.currency !== offer.currency) throw ValidationFailedError.field('price.currency', `must stay ${offer.currency}`);
      if (input.shippingFee && input.shippingFee.currency !== offer.currency) throw ValidationFailedError.field('shippingFee.currency', `must be ${offer.currency}`);
      if (input.returnWindowDays !== undefined && upstream) this.assertWindowWithin(input.returnWindowDays, upstream);
      if (upstream) assertOriginDecides(input.returnDecisionHours);
      const regular = { amount: input.price?.amount ?? offer.priceAmount, currency: offer.currency };
      const trial = input.trial ? trialTermsOf(input.trial, regular) : input.trial;
      const standing = trial === undefined && input.price ? (await this.trials.termsOf(em, [offer.id])).get(offer.id) : undefined;
      if (standing && standing.priceAmount >= regular.amount)
        throw ValidationFailedError.field('price.amount', `must stay above the trial price (${standing.priceAmount}); change or end the trial too`);
      if (input.price) offer.priceAmount = input.price.amount;
      if (input.shippingFee) offer.shippingFeeAmount = input.shippingFee.amount;
      if (input.returnWindowDays !== undefined) offer.returnWindowDays = input.returnWindowDays;
      if (input.returnDecisionHours !== undefined) offer.returnDecisionHours = input.returnDecisionHours;
      if (input.shipWithinHours !== undefined) offer.shipWithinHours = input.shipWithinHours;
      await em.flush();
      if (trial !== undefined) await this.trials.save(em, offer.id, trial);
      return offer;
    });
    return (await this.presentOwn([updated]))[0];
  }

  async withdraw(actor: ActorContext, offerId: string): Promise<OwnOfferResponseDto> {
    const offer = await this.findOwn(actor, offerId);
    if (offer.status === 'withdrawn') throw new IllegalTransitionError('offer', offer.status, 'withdraw');
    await this.em.transactional(async (em) => {
      await sqlExec(em, `update offer set status = 'withdrawn', suspended_by_delisting_id = null, updated_at = now() where id = ?`, [offer.id]);
      await this.outbox.append(em, [{ type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `offer:${offer.id}`, payload: { skuIds: [offer.originSkuId] } }]);
    });
    await this.em.refresh(offer);
    return (await this.presentOwn([offer]))[0];
  }

  async getOwn(actor: ActorContext, offerId: string): Promise<OwnOfferResponseDto> {
    return (await this.presentOwn([await this.findOwn(actor, offerId)]))[0];
  }

  async listOwn(actor: ActorContext, query: ListOffersQueryDto): Promise<Page<OwnOfferResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const offers = await this.em.find(
      Offer,
      { sellerMerchantId: actor.merchantId, ...(query.status ? { status: query.status } : {}), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: limit + 1 },
    );
    const presented = await this.presentOwn(offers.slice(0, limit));
    return toPage(offers, limit, (offer) => presented.find((item) => item.id === offer.id)!);
  }

  /** Offers the acting merchant can buy: from active upstream partners, meant for it or for all partners. */
  async listAvailable(actor: ActorContext, query: ListOffersQueryDto): Promise<Page<AvailableOfferResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const sellers = await this.partnerships.activeUpstreamsOf(actor.merchantId);
    if (sellers.length === 0) return { data: [], nextCursor: null };
    const offers = await this.em.find(
      Offer,
      {
        sellerMerchantId: { $in: sellers },
        status: 'active',
        $or: [{ buyerMerchantId: actor.merchantId }, { buyerMerchantId: null }],
        ...(after ? { id: { $gt: after } } : {}),
      },
      { orderBy: { id: 'asc' }, limit: limit + 1 },
    );
    const page = offers.slice(0, limit);
    // Only offers whose whole chain can deliver now: no withdrawn or suspended hop above, no cycle.
    const chains = await this.chainsOf(
      this.em,
      page.map((offer) => ({ offerId: offer.id, buyerMerchantId: actor.merchantId })),
    );
    const problems = await this.checkChains(page.map((offer) => chains.get(offer.id)!));
    const deliverable = page.filter((_offer, index) => problems[index] === null);
    return {
      data: await this.presentAvailable(deliverable, actor.merchantId),
      nextCursor: offers.length > limit ? encodeIdCursor(page[page.length - 1].id) : null,
    };
  }

  async getAvailable(actor: ActorContext, offerId: string): Promise<AvailableOfferResponseDto> {
    return (await this.presentAvailable([await this.findAvailable(actor, offerId, 'offerId')], actor.merchantId))[0];
  }

  /**
   * The offer, when the acting merchant may buy it: active, meant for it (or for all partners),
   * from an active upstream partner, and not a chain that already passes through it. Else 404.
   */
  async findAvailable(actor: ActorContext, offerId: string, field: string): Promise<Offer> {
    const offer = isId(offerId) ? await this.em.findOne(Offer, { id: offerId, status: 'active' }) : null;
    const visible =
      offer !== null &&
      offer.sellerMerchantId !== actor.merchantId &&
      (offer.buyerMerchantId === null || offer.buyerMerchantId === actor.merchantId) &&
      (await this.partnerships.isActive(offer.sellerMerchantId, actor.merchantId));
    if (!offer || !visible) {
      throw new DomainError('not_found', 'offer_not_found', `No offer ${offerId} is available to you: it must be offered to you by an active partner.`, [
        { field, reason: 'not an offer available to you' },
      ]);
    }
    const hops = (await this.chainsOf(this.em, [{ offerId: offer.id, buyerMerchantId: actor.merchantId }])).get(offer.id)!;
    if (hops.some((hop) => hop.sellerMerchantId === actor.merchantId)) {
      throw new DomainError('invalid', 'offer_chain_cycle', `Offer ${offerId} already passes through your merchant: using it would make a cycle.`, [
        { field, reason: 'its chain already passes through you' },
      ]);
    }
    // An offer whose chain is broken further up (an offer withdrawn, a partnership suspended) cannot
    // deliver; the buyer is not told which hop, since it must not learn who is above its seller.
    const [problem] = await this.checkChains([hops]);
    if (problem) {
      throw new DomainError('not_found', 'offer_not_found', `No offer ${offerId} is available to you: its supply upstream of your seller is currently interrupted.`, [
        { field, reason: 'not an offer available to you now' },
      ]);
    }
    return offer;
  }

  /**
   * The chain of each starting offer, from the offer a buyer holds up to the origin supplier,
   * read in one recursive query in the caller's transaction.
   */
  chainsOf(em: EntityManager, starts: { offerId: string; buyerMerchantId: string }[]): Promise<Map<string, ChainHop[]>> {
    return offerChainsOf(em, starts);
  }

  /** Whether goods can flow through every hop now; a reason a person can act on when not. */
  async checkChains(chains: ChainHop[][]): Promise<ReturnType<typeof findChainProblem>[]> {
    const pairs = chains.flat().map((hop) => ({ upstreamMerchantId: hop.sellerMerchantId, downstreamMerchantId: hop.buyerMerchantId }));
    const currencies = await this.partnerships.activePairCurrencies(pairs);
    const active = new Set(currencies.keys());
    return chains.map((hops) => findChainProblem(hops, active, currencies));
  }

  /** Every offer (any status) of these origin SKUs: enough to rebuild any chain that sells them. */
  async offersOfOriginSkus(em: EntityManager, skuIds: string[]): Promise<OfferLink[]> {
    if (skuIds.length === 0) return [];
    const rows = await sqlRows<Record<string, unknown>>(
      em,
      `select id, seller_merchant_id, buyer_merchant_id, upstream_offer_id, status, origin_sku_id from offer where origin_sku_id = any(?::bigint[])`,
      [skuIds],
    );
    return rows.map((row) => ({
      id: String(row.id),
      sellerMerchantId: String(row.seller_merchant_id),
      offeredToMerchantId: row.buyer_merchant_id === null ? null : String(row.buyer_merchant_id),
      upstreamOfferId: row.upstream_offer_id === null ? null : String(row.upstream_offer_id),
      status: String(row.status),
      originSkuId: String(row.origin_sku_id),
    }));
  }

  /** Origin SKUs of offers, and of every offer a merchant sells. */
  async originSkus(em: EntityManager, where: { offerIds?: string[]; sellerMerchantId?: string }): Promise<string[]> {
    const rows = await sqlRows<{ origin_sku_id: string }>(em, `select distinct origin_sku_id::text from offer where id = any(?::bigint[]) or seller_merchant_id = ?::bigint`, [
      where.offerIds ?? [],
      where.sellerMerchantId ?? null,
    ]);
    return rows.map((row) => row.origin_sku_id);
  }

  /** True when the merchant owns the SKU or may buy it through an offer now. */
  async canSellSku(actor: ActorContext, skuId: string): Promise<boolean> {
    if (!isId(skuId)) return false;
    if ((await skusOwnedBy(this.em, actor.merchantId, [skuId])).has(skuId)) return true;
    const sellers = await this.partnerships.activeUpstreamsOf(actor.merchantId);
    const rows = await sqlRows<{ ok: boolean }>(
      this.em,
      `select exists (select 1 from offer where origin_sku_id = ? and status = 'active' and seller_merchant_id = any(?::bigint[])
                        and (buyer_merchant_id is null or buyer_merchant_id = ?)) as ok`,
      [skuId, sellers, actor.merchantId],
    );
    return Boolean(rows[0]?.ok);
  }

  /** Price and currency of offers by id (what the buyer of each pays). */
  async pricesOf(offerIds: string[]): Promise<Map<string, { amount: number; currency: string }>> {
    if (offerIds.length === 0) return new Map();
    const offers = await this.em.find(Offer, { id: { $in: [...new Set(offerIds)] } });
    return new Map(offers.map((offer) => [offer.id, money(offer.priceAmount, offer.currency)]));
  }

  private async assertActivePartner(actor: ActorContext, buyerMerchantId: string): Promise<void> {
    if (buyerMerchantId === actor.merchantId) throw ValidationFailedError.field('buyerMerchantId', 'is your own merchant');
    if (!(await this.partnerships.isActive(actor.merchantId, buyerMerchantId))) {
      throw new DomainError('invalid', 'not_an_active_partner', `Merchant ${buyerMerchantId} is not your active downstream partner: invite it and wait for it to accept.`, [
        { field: 'buyerMerchantId', reason: 'not an active downstream partner' },
      ]);
    }
  }

  /** A re-share cannot promise consumers a longer no-reason window than its seller grants. */
  private assertWindowWithin(days: number | undefined, upstream: Offer): void {
    if (days !== undefined && days > upstream.returnWindowDays) {
      throw ValidationFailedError.field('returnWindowDays', `at most ${upstream.returnWindowDays}, the return window of the offer you re-share`);
    }
  }

  private async findOwn(actor: ActorContext, offerId: string): Promise<Offer> {
    const offer = isId(offerId) ? await this.em.findOne(Offer, { id: offerId, sellerMerchantId: actor.merchantId }) : null;
    if (!offer) throw new NotFoundError('offer', offerId);
    return offer;
  }

  private async presentOwn(offers: Offer[]): Promise<OwnOfferResponseDto[]> {
    const skus = await this.catalog.skusById(offers.map((offer) => offer.originSkuId));
    const upstreamIds = offers.map((offer) => offer.upstreamOfferId).filter((id): id is string => id !== null);
    const upstreams = upstreamIds.length ? await this.em.find(Offer, { id: { $in: upstreamIds } }) : [];
    const costOf = new Map(upstreams.map((offer) => [offer.id, money(offer.priceAmount, offer.currency)]));
    const trials = await this.trials.termsOf(
      this.em,
      offers.map((offer) => offer.id),
    );
    return offers.map((offer) => ({
      id: offer.id,
      kind: offer.upstreamOfferId ? 'reshare' : 'origin',
      buyerMerchantId: offer.buyerMerchantId,
      upstreamOfferId: offer.upstreamOfferId,
      sku: toSkuView(skus.get(offer.originSkuId)),
      price: money(offer.priceAmount, offer.currency),
      shippingFee: money(offer.shippingFeeAmount, offer.currency),
      cost: offer.upstreamOfferId ? (costOf.get(offer.upstreamOfferId) ?? null) : null,
      status: offer.status,
      delistingId: offer.suspendedByDelistingId,
      returnWindowDays: offer.returnWindowDays,
      returnDecisionHours: offer.upstreamOfferId ? null : offer.returnDecisionHours,
      trial: trials.has(offer.id) ? presentTrial(trials.get(offer.id)!) : null,
      shipWithinHours: offer.shipWithinHours,
      createdAt: offer.createdAt.toISOString(),
    }));
  }

  private async presentAvailable(offers: Offer[], buyerMerchantId: string): Promise<AvailableOfferResponseDto[]> {
    const skus = await this.catalog.skusById(offers.map((offer) => offer.originSkuId));
    const names = await this.merchants.namesOf([...new Set(offers.map((offer) => offer.sellerMerchantId))]);
    const trials = await this.trials.termsOf(
      this.em,
      offers.map((offer) => offer.id),
    );
    const taken = await this.trials.unitsTaken(
      this.em,
      [...trials.keys()].map((offerId) => ({ offerId, buyerMerchantId })),
    );
    const trialOf = (offerId: string) => {
      const terms = trials.get(offerId);
      return terms ? { ...presentTrial(terms), unitsLeft: Math.max(0, terms.unitsPerBuyer - (taken.get(trialKey(offerId, buyerMerchantId)) ?? 0)) } : null;
    };
    return offers.map((offer) => ({
      id: offer.id,
      sellerMerchantId: offer.sellerMerchantId,
      sellerName: names.get(offer.sellerMerchantId) ?? '',
      sku: toSkuView(skus.get(offer.originSkuId)),
      price: money(offer.priceAmount, offer.currency),
      shippingFee: money(offer.shippingFeeAmount, offer.currency),
      returnWindowDays: offer.returnWindowDays,
      trial: trialOf(offer.id),
      shipWithinHours: offer.shipWithinHours,
      createdAt: offer.createdAt.toISOString(),
    }));
  }
}
