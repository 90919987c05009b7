import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import type { TrialUnits } from '@gongxiao/offers';
import type { FulfillmentLineRow } from '../fulfillment.service';

/** A hop's trial units that a cancellation gives back, on one fulfillment line. */
export interface TrialUnitsBack extends TrialUnits {
  fulfillmentOrderLineId: string;
  hopIndex: number;
}

/**
 * Trial units a cancellation of `cancelling` units gives back at a hop with `trialUnits` of the
 * line's units at the trial price. Units ship trial first, so cancelled (unshipped) units come off
 * the regular units first: only when fewer live units are left than trial units do trial units go
 * back. Pure.
 */
export function trialUnitsGivenBack(line: Pick<FulfillmentLineRow, 'quantity' | 'cancelled_quantity'>, cancelling: number, trialUnits: number): number {
  const live = line.quantity - line.cancelled_quantity;
  return Math.max(0, Math.min(trialUnits, live) - Math.min(trialUnits, live - cancelling));
}

/**
 * The trial units the cancelled units give back, per line and hop, from the lines as locked before
 * the cancellation (one read of the hops that carry trial units). A returned unit gives nothing
 * back: its trial was used.
 */
export async function trialUnitsBackOf(em: EntityManager, lines: FulfillmentLineRow[], cancelled: { fulfillmentOrderLineId: string; quantity: number }[]): Promise<TrialUnitsBack[]> {
  if (cancelled.length === 0) return [];
  const hops = await sqlRows<{ line_id: string; hop_index: number; offer_id: string; buyer_merchant_id: string; trial_units: number }>(
    em,
    `select fulfillment_order_line_id::text as line_id, hop_index, offer_id::text, buyer_merchant_id::text, trial_units
       from fulfillment_line_hop where fulfillment_order_line_id = any(?::bigint[]) and trial_units > 0`,
    [[...new Set(cancelled.map((units) => String(units.fulfillmentOrderLineId)))]],
  );
  if (hops.length === 0) return [];
  const lineById = new Map(lines.map((line) => [String(line.id), line]));
  return cancelled.flatMap((units) =>
    hops
      .filter((hop) => hop.line_id === String(units.fulfillmentOrderLineId))
      .map((hop) => ({
        fulfillmentOrderLineId: hop.line_id,
        hopIndex: hop.hop_index,
        offerId: hop.offer_id,
        buyerMerchantId: hop.buyer_merchant_id,
        units: trialUnitsGivenBack(lineById.get(hop.line_id)!, units.quantity, hop.trial_units),
      }))
      .filter((back) => back.units > 0),
  );
}
