import { EntityManager } from '@mikro-orm/postgresql';
import fc from 'fast-check';
import { allocateRefund } from '@gongxiao/aftersales';
import { FulfillmentLinesCancelledPayload, OutboxEventPayloads, OutboxService, RefundRecordedPayload, ShipmentRecordedPayload, sqlExec, sqlRows } from '@gongxiao/core';
import {
  FulfillmentLinesCancelledJob,
  HoldRequest,
  lockPeriodsExclusive,
  NewEntry,
  postEntries,
  RefundRecordedJob,
  resolveHolds,
  SettlementHoldsService,
  ShipmentRecordedJob,
} from '@gongxiao/settlement';
import { useStage } from '../support/stage';

/**
 * The ledger core against an in-memory model, on real PostgreSQL: random sequences of orders (holds),
 * shipments, cancellations, partial refunds, adjustments, top-ups, payments, month closes and
 * duplicate deliveries along chains of 2–4 hops, then everything the DB says is compared with what
 * the model says: entries, statements, balances, holds, margins along each chain, and the closed
 * months, which never change once closed. Run in order, and again split over parallel workers.
 *
 * The model is deliberately naive: maps of numbers, no SQL. Money is bigint minor units (CNY).
 */

const CURRENCY = 'CNY';
const POOL = 5; // merchants per run
/** Month indexes: 0 is December 2025 (where a UTC payee puts 1 January 00:00–08:00 in Shanghai). */
const MONTHS = ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01'];

// ---------------------------------------------------------------- generated input

interface At {
  month: number;
  day: number;
  hour: number;
  /** The first or the last millisecond of the month (Asia/Shanghai), to catch an off-by-time-zone (a UTC payee's month differs at the first). */
  edge: 'none' | 'first' | 'last';
}

interface OrderSpec {
  chain: number;
  lines: { quantity: number; supplierPrice: number; increments: number[]; retailIncrement: number; fees: number[] }[];
}

type CommandSpec =
  | { t: 'place' }
  | { t: 'ship'; line: number; units: number; wholeOrder: boolean; at: At }
  | { t: 'cancel'; line: number; units: number }
  | { t: 'refund'; line: number; units: number; percent: number; at: At }
  | { t: 'adjust'; pair: number; charge: boolean; amount: number; at: At }
  | { t: 'receipt'; pair: number; topUp: boolean; amount: number; at: At }
  | { t: 'close'; merchant: number; month: number }
  | { t: 'duplicate'; event: number; sameEvent: boolean };

interface RunSpec {
  chains: number[][];
  /** Per merchant: settles in UTC months instead of Asia/Shanghai's (the default). */
  utc: boolean[];
  terms: { prepaid: boolean; limit: number }[];
  orders: OrderSpec[];
  commands: CommandSpec[];
  workers: number[];
}

const atArb: fc.Arbitrary<At> = fc.record({
  month: fc.integer({ min: 0, max: 2 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  edge: fc.constantFrom('none' as const, 'none' as const, 'first' as const, 'last' as const),
});
const chainArb = fc.integer({ min: 2, max: 4 }).chain((hops) => fc.uniqueArray(fc.integer({ min: 0, max: POOL - 1 }), { minLength: hops + 1, maxLength: hops + 1 }));
const orderArb: fc.Arbitrary<OrderSpec> = fc.record({
  chain: fc.nat(),
  lines: fc.array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 6 }),
      supplierPrice: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
      increments: fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 3, maxLength: 3 }),
      retailIncrement: fc.integer({ min: 0, max: 3_000 }),
      fees: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_500 })), { minLength: 4, maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});
const commandArb: fc.Arbitrary<CommandSpec> = fc.oneof(
  { arbitrary: fc.constant({ t: 'place' as const }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('ship' as const), line: fc.nat(), units: fc.nat(), wholeOrder: fc.boolean(), at: atArb }), weight: 5 },
  { arbitrary: fc.record({ t: fc.constant('cancel' as const), line: fc.nat(), units: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('refund' as const), line: fc.nat(), units: fc.nat(), percent: fc.integer({ min: 1, max: 100 }), at: atArb }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('adjust' as const), pair: fc.nat(), charge: fc.boolean(), amount: fc.integer({ min: 1, max: 20_000 }), at: atArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('receipt' as const), pair: fc.nat(), topUp: fc.boolean(), amount: fc.integer({ min: 1, max: 50_000 }), at: atArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('close' as const), merchant: fc.integer({ min: 0, max: POOL - 1 }), month: fc.integer({ min: 0, max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('duplicate' as const), event: fc.nat(), sameEvent: fc.boolean() }), weight: 3 },
);
const runArb = (workers: number): fc.Arbitrary<RunSpec> =>
  fc.record({
    chains: fc.array(chainArb, { minLength: 1, maxLength: 3 }),
    utc: fc.array(fc.boolean(), { minLength: POOL, maxLength: POOL }),
    terms: fc.array(fc.record({ prepaid: fc.integer({ min: 0, max: 5 }).map((draw) => draw === 0), limit: fc.constantFrom(0, 0, 0, 3_000, 20_000, 100_000) }), {
      minLength: POOL * POOL,
      maxLength: POOL * POOL,
    }),
    orders: fc.array(orderArb, { minLength: 2, maxLength: 8 }),
    commands: fc.array(commandArb, { minLength: 10, maxLength: 60 }),
    workers: fc.array(fc.integer({ min: 0, max: workers - 1 }), { minLength: 40, maxLength: 40 }),
  });

// ---------------------------------------------------------------- the model

/** The instant of `at` in Asia/Shanghai (UTC+8, no daylight saving): computed here without Intl, so the model does not share periods.ts. */
function instantOf(at: At): Date {
  if (at.edge === 'last') return new Date(Date.UTC(2026, at.month + 1, 1) - 8 * 3_600_000 - 1);
  if (at.edge === 'first') return new Date(Date.UTC(2026, at.month, 1) - 8 * 3_600_000);
  return new Date(Date.UTC(2026, at.month, at.day, at.hour) - 8 * 3_600_000);
}

interface ModelHop {
  hopIndex: number;
  seller: string;
  buyer: string;
  price: bigint;
  fee: bigint;
}

interface ModelLine {
  id: string;
  orderId: string;
  quantity: number;
  retail: bigint;
  hops: ModelHop[];
  held: boolean;
  shipped: number;
  cancelled: number;
  returned: number;
  /** Per hop: goods charged and refunds credited, as the model expects them in the ledger. */
  goods: bigint[];
  refunds: bigint[];
}

interface ModelOrder {
  id: string;
  chain: number;
  lines: ModelLine[];
  placed: boolean;
}

interface ModelBalance {
  terms: 'prepaid' | 'on_account';
  limit: bigint;
  paid: bigint;
  charged: bigint;
  held: bigint;
}

interface ExpectedEntry {
  sourceKey: string;
  seller: string;
  buyer: string;
  signed: bigint;
  kind: string;
  month: number;
  /** Where it lands, when the run is in order (unknown when closes race with postings). */
  landing: number | null;
}

/** What one step does to the database, decided by the model before anything runs. */
type Action =
  | { kind: 'place'; request: HoldRequest; shortOf: { seller: string; buyer: string; required: bigint; available: bigint } | null }
  | {
      kind: 'event';
      ref: number;
      type: 'shipment.recorded' | 'refund.recorded' | 'fulfillment_lines.cancelled';
      merchantId: string;
      payload: OutboxEventPayloads['shipment.recorded' | 'refund.recorded' | 'fulfillment_lines.cancelled'];
      twice: boolean;
      /** The same facts written twice before any job runs: one job's batch then takes both rows. */
      batchedCopy: boolean;
    }
  | { kind: 'redeliver'; ref: number; sameEvent: boolean }
  | { kind: 'entry'; entry: NewEntry }
  | { kind: 'close'; merchantId: string; month: number };

let nextId = 1_000;
const newId = () => String(nextId++);

function pairKey(seller: string, buyer: string): string {
  return `${seller}>${buyer}`;
}

class LedgerModel {
  readonly balances = new Map<string, ModelBalance>();
  readonly orders: ModelOrder[] = [];
  readonly entries = new Map<string, ExpectedEntry>();
  readonly closed = new Map<string, Set<number>>();
  readonly events: Action[] = [];
  readonly pairs: [string, string][] = [];
  private placedCount = 0;

  constructor(
    readonly merchants: string[],
    readonly spec: RunSpec,
    /** False when closes race with postings: landings are then checked for consistency only. */
    private readonly ordered: boolean,
  ) {
    for (let seller = 0; seller < POOL; seller++) {
      for (let buyer = 0; buyer < POOL; buyer++) {
        if (seller === buyer) continue;
        const terms = spec.terms[seller * POOL + buyer];
        this.balances.set(pairKey(merchants[seller], merchants[buyer]), { terms: terms.prepaid ? 'prepaid' : 'on_account', limit: BigInt(terms.limit), paid: 0n, charged: 0n, held: 0n });
      }
    }
    const chains = spec.chains.map((chain) => chain.map((index) => merchants[index]));
    for (const chain of chains) for (let hop = 0; hop + 1 < chain.length; hop++) this.pairs.push([chain[hop + 1], chain[hop]]);
    for (const order of spec.orders) {
      const chainIndex = order.chain % chains.length;
      const chain = chains[chainIndex];
      const orderId = newId();
      const lines = order.lines.map((line): ModelLine => {
        const hopCount = chain.length - 1;
        // Hop k: chain[k + 1] sells to chain[k]; the last hop is the origin supplier's sale, hop 0 the distributor's purchase.
        const prices: bigint[] = new Array(hopCount);
        prices[hopCount - 1] = BigInt(line.supplierPrice);
        for (let k = hopCount - 2; k >= 0; k--) prices[k] = prices[k + 1] + BigInt(line.increments[k]);
        const hops = prices.map((price, k) => ({ hopIndex: k, seller: chain[k + 1], buyer: chain[k], price, fee: BigInt(line.fees[k]) }));
        return {
          id: newId(),
          orderId,
          quantity: line.quantity,
          retail: prices[0] + BigInt(line.retailIncrement),
          hops,
          held: false,
          shipped: 0,
          cancelled: 0,
          returned: 0,
          goods: hops.map(() => 0n),
          refunds: hops.map(() => 0n),
        };
      });
      this.orders.push({ id: orderId, chain: chainIndex, lines, placed: false });
    }
  }

  balance(seller: string, buyer: string): ModelBalance {
    return this.balances.get(pairKey(seller, buyer))!;
  }

  available(balance: ModelBalance): bigint | null {
    if (balance.terms === 'on_account' && balance.limit === 0n) return null;
    return balance.paid - balance.charged - balance.held + (balance.terms === 'on_account' ? balance.limit : 0n);
  }

  landing(seller: string, month: number): number {
    const closed = this.closed.get(seller) ?? new Set<number>();
    let landing = month;
    while (closed.has(landing)) landing++;
    return landing;
  }

  /** The month an instant falls in for a payee, as an index of MONTHS. */
  monthOf(seller: string, at: Date): number {
    const local = new Date(at.getTime() + (this.spec.utc[this.merchants.indexOf(seller)] ? 0 : 8 * 3_600_000));
    return (local.getUTCFullYear() - 2025) * 12 + local.getUTCMonth() - 11;
  }

  private expect(entry: NewEntry, signed: bigint): void {
    if (entry.amount === 0n) return; // a zero amount posts nothing
    const month = this.monthOf(entry.sellerMerchantId, entry.occurredAt);
    this.entries.set(entry.sourceKey, {
      sourceKey: entry.sourceKey,
      seller: entry.sellerMerchantId,
      buyer: entry.buyerMerchantId,
      signed,
      kind: entry.kind,
      month,
      landing: this.ordered ? this.landing(entry.sellerMerchantId, month) : null,
    });
    const balance = this.balance(entry.sellerMerchantId, entry.buyerMerchantId);
    if (entry.direction === 'receipt') balance.paid += entry.amount;
    else balance.charged += signed;
  }

  private heldLines(): ModelLine[] {
    return this.orders.flatMap((order) => order.lines.filter((line) => line.held && line.quantity - line.shipped - line.cancelled > 0));
  }

  /** The next step the command asks for, or none when nothing fits it. */
  decide(command: CommandSpec): Action | null {
    switch (command.t) {
      case 'place': {
        const order = this.orders.find((candidate) => !candidate.placed);
        if (!order) return null;
        order.placed = true;
        this.placedCount++;
        const needs = order.lines[0].hops.map((hop) => ({ hop, amount: order.lines.reduce((sum, line) => sum + line.hops[hop.hopIndex].price * BigInt(line.quantity), 0n) }));
        let shortOf: Extract<Action, { kind: 'place' }>['shortOf'] = null;
        for (const need of needs) {
          const left = this.available(this.balance(need.hop.seller, need.hop.buyer));
          if (left !== null && need.amount > left) {
            shortOf = { seller: need.hop.seller, buyer: need.hop.buyer, required: need.amount, available: left < 0n ? 0n : left };
            break;
          }
        }
        if (!shortOf) {
          for (const need of needs) this.balance(need.hop.seller, need.hop.buyer).held += need.amount;
          for (const line of order.lines) line.held = true;
        }
        const request: HoldRequest = {
          channelOrderId: order.id,
          lines: order.lines.map((line) => ({
            channelOrderLineId: line.id,
            quantity: line.quantity,
            hops: line.hops.map((hop) => ({ hopIndex: hop.hopIndex, sellerMerchantId: hop.seller, buyerMerchantId: hop.buyer, unitPriceAmount: hop.price.toString(), currency: CURRENCY })),
          })),
        };
        return { kind: 'place', request, shortOf };
      }
      case 'ship': {
        const candidates = this.heldLines();
        if (candidates.length === 0) return null;
        const first = candidates[command.line % candidates.length];
        const lines = command.wholeOrder ? candidates.filter((line) => line.orderId === first.orderId) : [first];
        const shipmentId = newId();
        const at = instantOf(command.at);
        const payload: ShipmentRecordedPayload = {
          shipmentId,
          fulfillmentOrderId: first.orderId,
          supplierMerchantId: first.hops[first.hops.length - 1].seller,
          shippedAt: at.toISOString(),
          carrierCode: 'sf',
          trackingNumber: `SF${shipmentId}`,
          lines: lines.map((line) => {
            const pending = line.quantity - line.shipped - line.cancelled;
            const units = 1 + ((command.units + Number(line.id)) % pending);
            return {
              fulfillmentOrderLineId: line.id,
              channelOrderId: line.orderId,
              channelOrderLineId: line.id,
              externalOrderId: `EXT-${line.orderId}`,
              skuId: '1',
              skuCode: `SKU-${line.id}`,
              quantity: units,
              hops: line.hops.map((hop) => ({
                hopIndex: hop.hopIndex,
                sellerMerchantId: hop.seller,
                buyerMerchantId: hop.buyer,
                unitPriceAmount: hop.price.toString(),
                shippingFeeAmount: hop.fee.toString(),
                currency: CURRENCY,
              })),
            };
          }),
        };
        const fees = new Map<number, bigint>();
        for (const shipped of payload.lines) {
          const line = lines.find((candidate) => candidate.id === shipped.channelOrderLineId)!;
          line.shipped += shipped.quantity;
          for (const hop of line.hops) {
            const amount = hop.price * BigInt(shipped.quantity);
            line.goods[hop.hopIndex] += amount;
            this.balance(hop.seller, hop.buyer).held -= amount;
            this.expect(
              {
                sourceKey: `shipment:${shipmentId}:line:${line.id}:hop:${hop.hopIndex}`,
                kind: 'goods',
                direction: 'charge',
                sellerMerchantId: hop.seller,
                buyerMerchantId: hop.buyer,
                currency: CURRENCY,
                amount,
                occurredAt: at,
              },
              amount,
            );
            if (hop.fee > (fees.get(hop.hopIndex) ?? 0n)) fees.set(hop.hopIndex, hop.fee);
          }
        }
        for (const [hopIndex, fee] of fees) {
          const hop = first.hops[hopIndex];
          this.expect(
            {
              sourceKey: `shipment:${shipmentId}:shipping:${hop.seller}:${hop.buyer}:${CURRENCY}`,
              kind: 'shipping',
              direction: 'charge',
              sellerMerchantId: hop.seller,
              buyerMerchantId: hop.buyer,
              currency: CURRENCY,
              amount: fee,
              occurredAt: at,
            },
            fee,
          );
        }
        return this.event('shipment.recorded', payload.supplierMerchantId, payload);
      }
      case 'cancel': {
        const candidates = this.heldLines();
        if (candidates.length === 0) return null;
        const line = candidates[command.line % candidates.length];
        const units = 1 + (command.units % (line.quantity - line.shipped - line.cancelled));
        line.cancelled += units;
        for (const hop of line.hops) this.balance(hop.seller, hop.buyer).held -= hop.price * BigInt(units);
        const payload: FulfillmentLinesCancelledPayload = {
          cancellationKey: `cancellation:${newId()}`,
          channelOrderId: line.orderId,
          lines: [{ fulfillmentOrderLineId: line.id, channelOrderLineId: line.id, quantity: units }],
        };
        return this.event('fulfillment_lines.cancelled', line.hops[0].buyer, payload);
      }
      case 'refund': {
        const candidates = this.orders.flatMap((order) => order.lines.filter((line) => line.shipped - line.returned > 0));
        if (candidates.length === 0) return null;
        const line = candidates[command.line % candidates.length];
        const units = 1 + (command.units % (line.shipped - line.returned));
        const supplier = line.hops[line.hops.length - 1];
        const paidToSupplier = supplier.price * BigInt(units);
        const amount = command.percent === 100 ? undefined : { amount: Number((paidToSupplier * BigInt(command.percent)) / 100n), currency: CURRENCY };
        const shares = allocateRefund(
          supplier.seller,
          line.hops.map((hop) => ({ lineId: line.id, hopIndex: hop.hopIndex, sellerMerchantId: hop.seller, buyerMerchantId: hop.buyer, paid: hop.price * BigInt(units), currency: CURRENCY })),
          amount,
        );
        line.returned += units;
        const returnRequestId = newId();
        const at = instantOf(command.at);
        const payload: RefundRecordedPayload = {
          returnRequestId,
          channelOrderId: line.orderId,
          externalOrderId: `EXT-${line.orderId}`,
          refundedAt: at.toISOString(),
          refunds: shares.map((share) => ({
            fulfillmentOrderId: line.orderId,
            fulfillmentOrderLineId: line.id,
            channelOrderLineId: line.id,
            skuId: '1',
            skuCode: `SKU-${line.id}`,
            quantity: units,
            hopIndex: share.hopIndex,
            sellerMerchantId: share.sellerMerchantId,
            buyerMerchantId: share.buyerMerchantId,
            amount: share.amount.toString(),
            currency: CURRENCY,
          })),
        };
        for (const share of shares) {
          line.refunds[share.hopIndex] += share.amount;
          this.expect(
            {
              sourceKey: `refund:${returnRequestId}:line:${line.id}:hop:${share.hopIndex}`,
              kind: 'refund',
              direction: 'credit',
              sellerMerchantId: share.sellerMerchantId,
              buyerMerchantId: share.buyerMerchantId,
              currency: CURRENCY,
              amount: share.amount,
              occurredAt: at,
            },
            -share.amount,
          );
        }
        return this.event('refund.recorded', supplier.seller, payload);
      }
      case 'adjust':
      case 'receipt': {
        const [seller, buyer] = this.pairs[command.pair % this.pairs.length];
        const at = instantOf(command.at);
        const amount = BigInt(command.amount);
        const entry: NewEntry =
          command.t === 'adjust'
            ? {
                sourceKey: `adjustment:${newId()}`,
                kind: 'adjustment',
                direction: command.charge ? 'charge' : 'credit',
                sellerMerchantId: seller,
                buyerMerchantId: buyer,
                currency: CURRENCY,
                amount,
                occurredAt: at,
                reason: 'property test',
              }
            : {
                sourceKey: `payment:${newId()}`,
                kind: command.topUp ? 'top_up' : 'payment',
                direction: 'receipt',
                sellerMerchantId: seller,
                buyerMerchantId: buyer,
                currency: CURRENCY,
                amount,
                occurredAt: at,
              };
        this.expect(entry, entry.direction === 'charge' ? amount : -amount);
        return { kind: 'entry', entry };
      }
      case 'close': {
        const merchantId = this.merchants[command.merchant];
        const closed = this.closed.get(merchantId) ?? new Set<number>();
        if (closed.has(command.month)) return null;
        closed.add(command.month);
        this.closed.set(merchantId, closed);
        return { kind: 'close', merchantId, month: command.month };
      }
      case 'duplicate': {
        if (this.events.length === 0) return null;
        const original = this.events[command.event % this.events.length] as Extract<Action, { kind: 'event' }>;
        // Delivered again in parallel means a second outbox row: a repeat of one row's job is covered by `twice`.
        return { kind: 'redeliver', ref: original.ref, sameEvent: this.ordered && command.sameEvent };
      }
    }
  }

  private event(type: Extract<Action, { kind: 'event' }>['type'], merchantId: string, payload: Extract<Action, { kind: 'event' }>['payload']): Action {
    const action: Action = { kind: 'event', ref: this.events.length, type, merchantId, payload, twice: this.events.length % 3 === 2, batchedCopy: this.events.length % 4 === 3 };
    this.events.push(action);
    return action;
  }

  get placed(): number {
    return this.placedCount;
  }
}

// ---------------------------------------------------------------- the database side

interface Snapshot {
  merchantId: string;
  period: string;
  entries: string[];
  statements: string[];
}

class LedgerDriver {
  private readonly outbox = new OutboxService();
  private readonly holds = new SettlementHoldsService();
  readonly eventIds = new Map<number, string>();
  readonly snapshots: Snapshot[] = [];
  retries = 0;
  readonly retryErrors: string[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly events: Action[],
  ) {}

  async run(action: Action): Promise<void> {
    switch (action.kind) {
      case 'place': {
        const shortfalls = await this.em.fork().transactional((tx) => this.holds.placeHolds(tx, [action.request]));
        const shortfall = shortfalls.get(action.request.channelOrderId);
        if (action.shortOf === null) expect(shortfall).toBeUndefined();
        else
          expect(shortfall && { seller: shortfall.sellerMerchantId, buyer: shortfall.buyerMerchantId, required: shortfall.requiredAmount, available: shortfall.availableAmount }).toEqual({
            seller: action.shortOf.seller,
            buyer: action.shortOf.buyer,
            required: action.shortOf.required.toString(),
            available: action.shortOf.available.toString(),
          });
        return;
      }
      case 'event': {
        const eventId = await this.append(action);
        const copyId = action.batchedCopy ? await this.append(action) : undefined;
        this.eventIds.set(action.ref, eventId);
        // `twice`: the relay enqueued the row twice (or a worker died after commit): two jobs at once.
        await Promise.all((action.twice ? [1, 2] : [1]).map(() => this.handle(action, eventId)));
        // The copy has a job of its own too (the relay enqueues every row): it finds its row done, unless
        // another worker's batch had taken the first row alone.
        if (copyId) await this.handle(action, copyId);
        return;
      }
      case 'redeliver': {
        const original = this.events[action.ref] as Extract<Action, { kind: 'event' }>;
        const eventId = action.sameEvent ? this.eventIds.get(action.ref)! : await this.append(original);
        await this.handle(original, eventId);
        return;
      }
      case 'entry':
        await this.em.fork().transactional((tx) => postEntries(tx, [action.entry]));
        return;
      case 'close': {
        const period = MONTHS[action.month];
        await this.em.fork().transactional(async (tx) => {
          await lockPeriodsExclusive(tx, action.merchantId);
          await sqlExec(tx, `insert into closed_period (merchant_id, period) values (?, ?::date)`, [action.merchantId, period]);
        });
        this.snapshots.push({ merchantId: action.merchantId, period, ...(await this.monthOf(action.merchantId, period)) });
        return;
      }
    }
  }

  /** A closed month as it stands: its entries (id, amount, kind) and its statements with their entries' sums. */
  async monthOf(merchantId: string, period: string): Promise<{ entries: string[]; statements: string[] }> {
    const em = this.em.fork();
    const entries = await sqlRows<{ line: string }>(
      em,
      `select id || ':' || amount || ':' || kind || ':' || statement_id as line from ledger_entry where seller_merchant_id = ? and period = ?::date order by id`,
      [merchantId, period],
    );
    const statements = await sqlRows<{ line: string }>(
      em,
      `select s.id || ':' || s.status || ':' || coalesce(sum(e.amount), 0) || ':' || count(e.id) as line
         from statement s left join ledger_entry e on e.statement_id = s.id
        where s.seller_merchant_id = ? and s.period = ?::date group by s.id order by s.id`,
      [merchantId, period],
    );
    return { entries: entries.map((row) => row.line), statements: statements.map((row) => row.line) };
  }

  private async append(action: Extract<Action, { kind: 'event' }>): Promise<string> {
    const [row] = await sqlRows<{ id: string }>(this.em.fork(), `insert into outbox_event (type, merchant_id, aggregate_id, payload) values (?, ?, ?, ?::jsonb) returning id::text`, [
      action.type,
      action.merchantId,
      `property:${action.ref}`,
      JSON.stringify(action.payload),
    ]);
    return row.id;
  }

  /** The job as BullMQ runs it, retried as BullMQ would on a transient failure (and counted). */
  private async handle(action: Extract<Action, { kind: 'event' }>, eventId: string): Promise<void> {
    const em = this.em.fork();
    const data = { eventId, type: action.type, merchantId: action.merchantId, payload: action.payload };
    for (let attempt = 1; ; attempt++) {
      try {
        if (action.type === 'shipment.recorded') await new ShipmentRecordedJob(em, this.outbox).handle(data as never);
        else if (action.type === 'refund.recorded') await new RefundRecordedJob(em, this.outbox).handle(data as never);
        else await new FulfillmentLinesCancelledJob(em, this.outbox).handle(data as never);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw error;
        this.retries++;
        this.retryErrors.push(`${action.type}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
  }
}

// ---------------------------------------------------------------- invariants

interface EntryRow {
  id: string;
  source_key: string;
  seller: string;
  buyer: string;
  currency: string;
  debit_account: string;
  credit_account: string;
  amount: string;
  kind: string;
  period: string;
  original_period: string | null;
  occurred_at: Date;
  statement_id: string;
  channel_order_line_id: string | null;
  quantity: number | null;
}

const monthIndex = (period: string) => MONTHS.indexOf(period);
const signedOf = (row: EntryRow) => (row.debit_account === 'receivable' ? BigInt(row.amount) : -BigInt(row.amount));

async function checkInvariants(em: EntityManager, model: LedgerModel, driver: LedgerDriver, ordered: boolean): Promise<void> {
  const merchants = model.merchants;
  const entries = await sqlRows<EntryRow>(
    em,
    `select id::text, source_key, seller_merchant_id::text as seller, buyer_merchant_id::text as buyer, currency, debit_account, credit_account, amount::text, kind,
            to_char(period, 'YYYY-MM-DD') as period, to_char(original_period, 'YYYY-MM-DD') as original_period, occurred_at, statement_id::text, channel_order_line_id::text, quantity
       from ledger_entry where seller_merchant_id = any(?::bigint[]) order by id`,
    [merchants],
  );

  // Exactly the entries the model expects, each once, with its amount and kind.
  expect(new Set(entries.map((row) => row.source_key)).size).toBe(entries.length);
  expect(Object.fromEntries(entries.map((row) => [row.source_key, `${row.kind}:${signedOf(row)}:${row.seller}>${row.buyer}`]))).toEqual(
    Object.fromEntries([...model.entries.values()].map((entry) => [entry.sourceKey, `${entry.kind}:${entry.signed}:${entry.seller}>${entry.buyer}`])),
  );

  // Double entry: per currency, what every account was debited equals what every account was credited.
  const accountNet = new Map<string, bigint>();
  for (const row of entries) {
    const amount = BigInt(row.amount);
    const debit = `${row.seller}>${row.buyer}:${row.debit_account}`;
    const credit = `${row.seller}>${row.buyer}:${row.credit_account}`;
    accountNet.set(debit, (accountNet.get(debit) ?? 0n) + amount);
    accountNet.set(credit, (accountNet.get(credit) ?? 0n) - amount);
  }
  expect([...accountNet.values()].reduce((sum, value) => sum + value, 0n)).toBe(0n);

  // Landing: an entry is in its month, or in the first open month after it (naming the original).
  for (const row of entries) {
    const expected = model.entries.get(row.source_key)!;
    const landed = monthIndex(row.period);
    if (ordered) expect({ key: row.source_key, landed }).toEqual({ key: row.source_key, landed: expected.landing });
    expect(landed).toBeGreaterThanOrEqual(expected.month);
    expect(row.original_period).toBe(landed === expected.month ? null : MONTHS[expected.month]);
    for (let month = expected.month; month < landed; month++) expect(model.closed.get(row.seller)?.has(month)).toBe(true);
  }

  // Statements: one per pair and month, and its entries' sum is the model's total for it.
  const statements = await sqlRows<{ id: string; key: string }>(
    em,
    `select id::text, seller_merchant_id || '>' || buyer_merchant_id || ':' || currency || ':' || to_char(period, 'YYYY-MM-DD') as key from statement where seller_merchant_id = any(?::bigint[])`,
    [merchants],
  );
  const statementKey = new Map(statements.map((row) => [row.id, row.key]));
  const withEntries = new Set(entries.map((row) => row.statement_id));
  expect(statements.filter((row) => !withEntries.has(row.id)).map((row) => row.key)).toEqual([]); // no statement of nothing
  const dbTotals = new Map<string, bigint>();
  for (const row of entries) dbTotals.set(statementKey.get(row.statement_id)!, (dbTotals.get(statementKey.get(row.statement_id)!) ?? 0n) + signedOf(row));
  for (const row of entries) expect(statementKey.get(row.statement_id)).toBe(`${row.seller}>${row.buyer}:${row.currency}:${row.period}`);
  if (ordered) {
    const modelTotals = new Map<string, bigint>();
    for (const entry of model.entries.values()) {
      const key = `${entry.seller}>${entry.buyer}:${CURRENCY}:${MONTHS[entry.landing!]}`;
      modelTotals.set(key, (modelTotals.get(key) ?? 0n) + entry.signed);
    }
    expect(Object.fromEntries(dbTotals)).toEqual(Object.fromEntries(modelTotals));
  }

  // Balances: paid, charged and held as the model has them, and the ledger's accounts agree with them.
  const balances = await sqlRows<{ pair: string; paid: string; charged: string; held: string }>(
    em,
    `select seller_merchant_id || '>' || buyer_merchant_id as pair, paid_amount::text as paid, charged_amount::text as charged, held_amount::text as held
       from settlement_balance where seller_merchant_id = any(?::bigint[]) and currency = ?`,
    [merchants, CURRENCY],
  );
  expect(Object.fromEntries(balances.map((row) => [row.pair, `paid ${row.paid} charged ${row.charged} held ${row.held}`]))).toEqual(
    Object.fromEntries([...model.balances].map(([pair, balance]) => [pair, `paid ${balance.paid} charged ${balance.charged} held ${balance.held}`])),
  );
  for (const row of balances) {
    // receivable = charged − paid, revenue = −charged, cash = paid
    expect(accountNet.get(`${row.pair}:receivable`) ?? 0n).toBe(BigInt(row.charged) - BigInt(row.paid));
    expect(accountNet.get(`${row.pair}:revenue`) ?? 0n).toBe(-BigInt(row.charged));
    expect(accountNet.get(`${row.pair}:cash`) ?? 0n).toBe(BigInt(row.paid));
  }

  // Holds: pending → posted / voided once, never beyond the held quantity; posted = what the goods entries shipped.
  const lines = model.orders.flatMap((order) => order.lines);
  const holds = await sqlRows<{ line: string; hop: number; quantity: number; posted: number; voided: number; moved_posted: number; moved_voided: number }>(
    em,
    `select h.channel_order_line_id::text as line, h.hop_index as hop, h.quantity, h.posted_quantity as posted, h.voided_quantity as voided,
            coalesce((select sum(quantity) from settlement_hold_move m where m.channel_order_line_id = h.channel_order_line_id and m.hop_index = h.hop_index and m.kind = 'posted'), 0)::int as moved_posted,
            coalesce((select sum(quantity) from settlement_hold_move m where m.channel_order_line_id = h.channel_order_line_id and m.hop_index = h.hop_index and m.kind = 'voided'), 0)::int as moved_voided
       from settlement_hold h where h.channel_order_line_id = any(?::bigint[])`,
    [lines.map((line) => line.id)],
  );
  expect(Object.fromEntries(holds.map((hold) => [`${hold.line}:${hold.hop}`, `${hold.quantity} posted ${hold.posted}/${hold.moved_posted} voided ${hold.voided}/${hold.moved_voided}`]))).toEqual(
    Object.fromEntries(
      lines
        .filter((line) => line.held)
        .flatMap((line) => line.hops.map((hop) => [`${line.id}:${hop.hopIndex}`, `${line.quantity} posted ${line.shipped}/${line.shipped} voided ${line.cancelled}/${line.cancelled}`])),
    ),
  );

  // Along every chain: per hop, goods − refunds as the model has them; each merchant's margin (billed downstream − owed upstream)
  // is never negative, and the margins with the origin supplier's revenue add up to the retail price of what shipped.
  for (const line of lines.filter((candidate) => candidate.shipped > 0)) {
    const goods = line.hops.map(() => 0n);
    const refunds = line.hops.map(() => 0n);
    for (const row of entries.filter((entry) => entry.channel_order_line_id === line.id)) {
      const hop = Number(/:hop:(\d+)$/.exec(row.source_key)![1]);
      if (row.kind === 'goods') goods[hop] += BigInt(row.amount);
      if (row.kind === 'refund') refunds[hop] += BigInt(row.amount);
    }
    expect({ line: line.id, goods, refunds }).toEqual({ line: line.id, goods: line.goods, refunds: line.refunds });
    const top = line.hops.length - 1;
    const retail = line.retail * BigInt(line.shipped);
    const distributorMargin = retail - goods[0];
    const brokerMargins = line.hops.slice(0, top).map((hop) => goods[hop.hopIndex] - goods[hop.hopIndex + 1]);
    expect(distributorMargin).toBe((line.retail - line.hops[0].price) * BigInt(line.shipped));
    brokerMargins.forEach((margin, k) => expect(margin).toBe((line.hops[k].price - line.hops[k + 1].price) * BigInt(line.shipped)));
    expect(distributorMargin + brokerMargins.reduce((sum, margin) => sum + margin, 0n) + goods[top]).toBe(retail);
    // After refunds no broker is out of pocket: what it keeps downstream covers what it keeps upstream.
    line.hops.slice(0, top).forEach((hop) => expect(goods[hop.hopIndex] - refunds[hop.hopIndex]).toBeGreaterThanOrEqual(goods[hop.hopIndex + 1] - refunds[hop.hopIndex + 1]));
  }

  // Every event was handled, none failed for good.
  expect(await sqlRows(em, `select id, type, last_error from outbox_event where processed_at is null or failed_at is not null`)).toEqual([]);

  // A closed month never changes after it closed.
  for (const snapshot of driver.snapshots) {
    expect({ month: `${snapshot.merchantId}:${snapshot.period}`, ...(await driver.monthOf(snapshot.merchantId, snapshot.period)) }).toEqual({
      month: `${snapshot.merchantId}:${snapshot.period}`,
      entries: snapshot.entries,
      statements: snapshot.statements,
    });
  }
}

// ---------------------------------------------------------------- the runs

describe('Settlement ledger against a model (property-based, real PostgreSQL)', () => {
  const stage = useStage({ worker: false });
  let em: EntityManager;
  const retryErrors: string[] = [];
  const figures = { runs: 0, actions: 0, entries: 0, closes: 0, duplicates: 0, retries: 0, shortfalls: 0, emptyStatements: 0 };

  beforeAll(() => {
    em = stage.api.app.get(EntityManager);
  });

  async function newRun(spec: RunSpec, ordered: boolean): Promise<{ model: LedgerModel }> {
    const rows = await sqlRows<{ id: string }>(em.fork(), `insert into merchant (name) select 'property ' || n from generate_series(1, ?) n returning id::text`, [POOL]);
    const model = new LedgerModel(
      rows.map((row) => row.id),
      spec,
      ordered,
    );
    await sqlExec(
      em.fork(),
      `insert into settlement_balance (seller_merchant_id, buyer_merchant_id, currency, terms, credit_limit_amount)
       select * from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[])`,
      (() => {
        const entries = [...model.balances.entries()].map(([pair, balance]) => [...pair.split('>'), CURRENCY, balance.terms, balance.limit.toString()]);
        return [0, 1, 2, 3, 4].map((column) => entries.map((entry) => entry[column]));
      })(),
    );
    const utc = model.merchants.filter((_, index) => spec.utc[index]);
    if (utc.length > 0) await sqlExec(em.fork(), `insert into settlement_settings (merchant_id, time_zone) select unnest(?::bigint[]), 'UTC'`, [utc]);
    return { model };
  }

  async function tally(model: LedgerModel, driver: LedgerDriver, actions: Action[]): Promise<void> {
    figures.runs++;
    figures.actions += actions.length;
    figures.entries += model.entries.size;
    figures.closes += driver.snapshots.length;
    figures.duplicates += actions.filter((action) => action.kind === 'redeliver').length;
    figures.retries += driver.retries;
    retryErrors.push(...driver.retryErrors);
    figures.shortfalls += actions.filter((action) => action.kind === 'place' && action.shortOf).length;
    const [empty] = await sqlRows<{ count: number }>(
      em.fork(),
      `select count(*)::int as count from statement s where s.seller_merchant_id = any(?::bigint[]) and not exists (select 1 from ledger_entry e where e.statement_id = s.id)`,
      [model.merchants],
    );
    figures.emptyStatements += empty.count;
  }

  afterAll(() => {
    process.stdout.write(`settlement ledger property figures: ${JSON.stringify(figures)}\n${retryErrors.slice(0, 5).join('\n')}\n`);
  });

  it('in order: every entry, statement, balance, hold, margin and closed month is what the model says', async () => {
    await fc.assert(
      fc.asyncProperty(runArb(1), async (spec) => {
        const { model } = await newRun(spec, true);
        const actions: Action[] = [];
        const driver = new LedgerDriver(em, model.events);
        for (const command of spec.commands) {
          const action = model.decide(command);
          if (!action) continue;
          actions.push(action);
          await driver.run(action);
        }
        await checkInvariants(em.fork(), model, driver, true);
        await tally(model, driver, actions);
      }),
      { numRuns: Number(process.env.SETTLEMENT_PROPERTY_RUNS ?? 40) },
    );
  }, 120_000);

  it('in parallel: the same commands over four workers (duplicates delivered at once) leave the same ledger', async () => {
    await fc.assert(
      fc.asyncProperty(runArb(4), async (spec) => {
        const { model } = await newRun(spec, false);
        const driver = new LedgerDriver(em, model.events);
        // Routing comes first (which orders fit depends on their order); everything after it runs at once.
        const placing: Action[] = [];
        for (let order = 0; order < spec.orders.length; order++) placing.push(model.decide({ t: 'place' })!);
        for (const action of placing) await driver.run(action);
        const actions: Action[] = [];
        for (const command of spec.commands) {
          const action = model.decide(command);
          if (action) actions.push(action);
        }
        const lanes: Action[][] = [[], [], [], []];
        const laneOfEvent = new Map<number, number>();
        actions.forEach((action, index) => {
          let lane = spec.workers[index % spec.workers.length];
          if (action.kind === 'redeliver') lane = (laneOfEvent.get(action.ref)! + 1 + (index % 3)) % 4; // never the original's worker
          if (action.kind === 'event') laneOfEvent.set(action.ref, lane);
          lanes[lane].push(action);
        });
        await Promise.all(
          lanes.map(async (lane) => {
            for (const action of lane) await driver.run(action);
          }),
        );
        await checkInvariants(em.fork(), model, driver, false);
        // A deadlock is a failed job (retried by BullMQ, so nothing is lost): the locks are taken in one order, so there is none.
        expect(driver.retryErrors).toEqual([]);
        await tally(model, driver, [...placing, ...actions]);
      }),
      { numRuns: Number(process.env.SETTLEMENT_PROPERTY_RUNS ?? 30) },
    );
  }, 120_000);
});

describe('Settlement postings, one story at a time', () => {
  const stage = useStage({ worker: false });

  it('posts and voids the same hold from two transactions at once (a shipment and a cancellation of one line) without a deadlock', async () => {
    const em = stage.api.app.get(EntityManager);
    const [seller, buyer] = (await sqlRows<{ id: string }>(em.fork(), `insert into merchant (name) values ('lock seller'), ('lock buyer') returning id::text`)).map((row) => row.id);
    const line = newId();
    const request: HoldRequest = {
      channelOrderId: newId(),
      lines: [{ channelOrderLineId: line, quantity: 4, hops: [{ hopIndex: 0, sellerMerchantId: seller, buyerMerchantId: buyer, unitPriceAmount: '100', currency: CURRENCY }] }],
    };
    await em.fork().transactional((tx) => new SettlementHoldsService().placeHolds(tx, [request]));
    const key = `shipment:${newId()}:line:${line}:hop:0`;
    const entry: NewEntry = {
      sourceKey: key,
      kind: 'goods',
      direction: 'charge',
      sellerMerchantId: seller,
      buyerMerchantId: buyer,
      currency: CURRENCY,
      amount: 200n,
      occurredAt: new Date(),
      channelOrderLineId: line,
      quantity: 2,
    };
    const waiting = async () =>
      (await sqlRows<{ count: number }>(em.fork(), `select count(*)::int as count from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].count;

    // The shipment's transaction charges the balance first (as ShipmentRecordedJob does), then posts the hold …
    let cancelled: Promise<number> | undefined;
    await em.fork().transactional(async (shipment) => {
      await postEntries(shipment, [entry]);
      // … while a cancellation of the other two units of the line voids its hold in a transaction of its own.
      cancelled = em.fork().transactional((cancellation) => resolveHolds(cancellation, 'voided', [{ sourceKey: `cancellation:${newId()}`, channelOrderLineId: line, hopIndex: 0, quantity: 2 }]));
      for (let tries = 0; tries < 100 && (await waiting()) === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
      await resolveHolds(shipment, 'posted', [{ sourceKey: key, channelOrderLineId: line, hopIndex: 0, quantity: 2 }]);
    });
    await expect(cancelled).resolves.toBe(2);
    const [hold] = await sqlRows<{ posted_quantity: number; voided_quantity: number }>(em.fork(), `select posted_quantity, voided_quantity from settlement_hold where channel_order_line_id = ?`, [
      line,
    ]);
    expect(hold).toEqual({ posted_quantity: 2, voided_quantity: 2 });
  });

  it('leaves no empty statement in the next month when a shipment already posted is delivered again after its month closed', async () => {
    const em = stage.api.app.get(EntityManager);
    const [seller, buyer] = (await sqlRows<{ id: string }>(em.fork(), `insert into merchant (name) values ('late seller'), ('late buyer') returning id::text`)).map((row) => row.id);
    const entry: NewEntry = {
      sourceKey: `shipment:${newId()}:line:${newId()}:hop:0`,
      kind: 'goods',
      direction: 'charge',
      sellerMerchantId: seller,
      buyerMerchantId: buyer,
      currency: CURRENCY,
      amount: 300n,
      occurredAt: new Date('2026-01-15T04:00:00Z'),
    };
    expect(await em.fork().transactional((tx) => postEntries(tx, [entry]))).toHaveLength(1);
    await em.fork().transactional(async (tx) => {
      await lockPeriodsExclusive(tx, seller);
      await sqlExec(tx, `insert into closed_period (merchant_id, period) values (?, '2026-01-01')`, [seller]);
    });
    expect(await em.fork().transactional((tx) => postEntries(tx, [entry]))).toEqual([]);
    const statements = await sqlRows<{ period: string }>(em.fork(), `select to_char(period, 'YYYY-MM-DD') as period from statement where seller_merchant_id = ? order by period`, [seller]);
    expect(statements).toEqual([{ period: '2026-01-01' }]);
  });
});
