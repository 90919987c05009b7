import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, DomainError, MAX_AMOUNT, NotFoundError, ValidationFailedError } from '@gongxiao/core';
import { hopPricesOfLines, LineHopPrice, OrderLocks, ShippedLine, shippedLinesOfOrder } from '@gongxiao/fulfillment';
import { returnDecisionHoursOfOffers } from '@gongxiao/offers';
import { ChannelOrderLineRow, channelOrderLines, ownChannelOrder } from '@gongxiao/orders';
import { ReturnCasesService } from './return-cases.service';
import { ReturnPresenter } from './return.presenter';
import { OpenedReturnsDto, OpenReturnDto } from './returns.dto';

/** Units of the no-reason window when an offer sets none (the distributor's own goods). */
const DEFAULT_WINDOW_DAYS = 7;
/** Hours a supplier has to decide a case when no offer sets them (the distributor's own goods). */
const DEFAULT_DECISION_HOURS = 48;

/**
 * The distributor opens a case for shipped units, one case per supplier. Inside the no-reason
 * window a case whose goods come back is approved at once; keeping the goods (refund only) always
 * waits for the supplier. Takes the one lock order (`OrderLocks`), so concurrent returns and
 * cancellations of the same order never claim the same units twice nor deadlock.
 */
@Injectable()
export class OpenReturnService {
  constructor(
    private readonly em: EntityManager,
    private readonly locks: OrderLocks,
    private readonly cases: ReturnCasesService,
    private readonly presenter: ReturnPresenter,
  ) {}

  async open(actor: ActorContext, channelOrderId: string, input: OpenReturnDto): Promise<OpenedReturnsDto> {
    return this.locks.withOrderLocks(() =>
      this.em.transactional(async (em) => {
        const order = await ownChannelOrder(em, actor.merchantId, channelOrderId);
        if (!order) throw new NotFoundError('channel order', channelOrderId);
        await this.locks.lockOrderChain(em, order.id);
        const channelLines = await channelOrderLines(em, order.id);
        const shipped = await shippedLinesOfOrder(em, order.id, { lock: true });
        const take = unitsToReturn(input, channelLines, shipped);
        const hops = await hopPricesOfLines(em, [...take.keys()]);
        assertAmountsFit(hops, take);
        const bySupplier = new Map<string, ShippedLine[]>();
        for (const line of shipped.filter((item) => take.has(item.id))) bySupplier.set(line.supplier_merchant_id, [...(bySupplier.get(line.supplier_merchant_id) ?? []), line]);
        const decisionHours = await decisionHoursOfLines(em, hops);
        const opened: string[] = [];
        for (const [supplierId, lines] of bySupplier) {
          const windowEndsAt = new Date(Math.min(...lines.map((line) => new Date(line.window_starts_at!).getTime() + (line.return_window_days ?? DEFAULT_WINDOW_DAYS) * 86_400_000)));
          const within = Date.now() <= windowEndsAt.getTime();
          // The no-reason window is for goods that come back: keeping the goods always needs the supplier.
          const approved = within && input.kind === 'return_and_refund';
          const created = await this.cases.insertCase(
            em,
            {
              channelOrderId: order.id,
              distributorId: actor.merchantId,
              supplierId,
              kind: input.kind,
              origin: 'consumer',
              status: approved ? 'approved' : 'pending_approval',
              reason: input.reason,
              photoUrls: input.photoUrls ?? [],
              within,
              windowEndsAt,
              // The origin supplier's offers decide how long it may leave the case undecided (the shortest of its lines).
              decideBy: approved ? null : new Date(Date.now() + Math.min(...lines.map((line) => decisionHours.get(line.id) ?? DEFAULT_DECISION_HOURS)) * 3_600_000),
              interceptionRequestId: null,
              lines: lines.map((line) => ({ id: line.id, quantity: take.get(line.id)! })),
            },
            hops,
          );
          opened.push(created.id);
        }
        return { returns: await this.presenter.present(em, actor.merchantId, await this.cases.byIds(em, opened)) };
      }),
    );
  }
}

/**
 * Units to return per fulfillment line: each asked line of the shop order takes from its shipped
 * fulfillment lines what is not already in a case (field-level errors otherwise).
 */
function unitsToReturn(input: OpenReturnDto, channelLines: ChannelOrderLineRow[], shipped: ShippedLine[]): Map<string, number> {
  const take = new Map<string, number>();
  const seen = new Set<number>();
  input.lines.forEach((requested, index) => {
    const channelLine = channelLines.find((line) => line.line_no === requested.lineNo);
    if (!channelLine) throw ValidationFailedError.field(`lines[${index}].lineNo`, `this order has no line ${requested.lineNo}`);
    if (seen.has(requested.lineNo)) throw ValidationFailedError.field(`lines[${index}].lineNo`, 'appears twice');
    seen.add(requested.lineNo);
    const candidates = shipped.filter((line) => line.channel_order_line_id === String(channelLine.id));
    const returnable = candidates.reduce((sum, line) => sum + line.shipped_quantity - line.returned_quantity, 0);
    if (requested.quantity > returnable) {
      const shippedUnits = candidates.reduce((sum, line) => sum + line.shipped_quantity, 0);
      throw new DomainError(
        'invalid',
        'return_exceeds_shipped',
        shippedUnits === 0
          ? `Line ${requested.lineNo} has not shipped: cancel it instead of opening a return.`
          : `Line ${requested.lineNo}: ${requested.quantity} unit(s) asked but ${returnable} can be returned (${shippedUnits} shipped, ${shippedUnits - returnable} already in return cases).`,
        [{ field: `lines[${index}].quantity`, reason: `at most ${returnable}` }],
      );
    }
    let left = requested.quantity;
    for (const line of candidates) {
      const part = Math.min(left, line.shipped_quantity - line.returned_quantity);
      if (part > 0) take.set(line.id, part);
      left -= part;
    }
  });
  return take;
}

/** Hours each line's origin supplier gives itself to decide, from the offer of the line's top hop (its own). */
async function decisionHoursOfLines(em: EntityManager, hops: LineHopPrice[]): Promise<Map<string, number>> {
  const tops = new Map<string, LineHopPrice>();
  for (const hop of hops) if ((tops.get(hop.fulfillment_order_line_id)?.hop_index ?? -1) < hop.hop_index) tops.set(hop.fulfillment_order_line_id, hop);
  const hours = await returnDecisionHoursOfOffers(
    em,
    [...tops.values()].map((hop) => hop.offer_id),
  );
  return new Map([...tops].map(([lineId, hop]) => [lineId, hours.get(hop.offer_id) ?? DEFAULT_DECISION_HOURS]));
}

/** Every amount of a case must stay an exact JSON number (price × units at any hop). */
function assertAmountsFit(hops: LineHopPrice[], take: Map<string, number>): void {
  const tooLarge = hops.some((hop) => take.has(hop.fulfillment_order_line_id) && BigInt(hop.unit_price_amount) * BigInt(take.get(hop.fulfillment_order_line_id)!) > BigInt(MAX_AMOUNT));
  if (tooLarge) {
    throw new DomainError('invalid', 'return_amount_too_large', `These units are worth more than ${MAX_AMOUNT} minor units at one hop: open smaller returns.`, [
      { field: 'lines', reason: 'too much value in one case' },
    ]);
  }
}
