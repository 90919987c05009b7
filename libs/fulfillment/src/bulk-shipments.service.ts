import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, OutboxService } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { InventoryService } from '@gongxiao/inventory';
import { OrdersService } from '@gongxiao/orders';
import { chunksOf, eachInFlight } from './bulk-shipments/bulk-shipment-chunks';
import { planBulkShipments } from './bulk-shipments/bulk-shipment-plan';
import { REASONS } from './bulk-shipments/bulk-shipment-reasons';
import { loadPlanState, lockPlanState } from './bulk-shipments/bulk-shipment-state';
import { recordParcels, ShipmentCollaborators } from './bulk-shipments/bulk-shipment-writer';
import { BulkRowOutcome, BulkShipmentOptions, BulkShipmentReport, BulkShipmentRow, PlannedParcel } from './bulk-shipments/bulk-shipment.types';

/** Parcels recorded per statement batch (and per transaction in valid_rows mode); an order's parcels are never split. */
export const BULK_SHIPMENT_CHUNK = 500;

/** valid_rows: chunks applied at the same time, each in its own transaction. */
const CHUNKS_IN_FLIGHT = 3;

/** The chunk's rows came out otherwise under lock (a concurrent change) in all_or_nothing mode: roll everything back. */
class ChangedMeanwhile extends Error {
  constructor(readonly outcomes: BulkRowOutcome[]) {
    super('Rows changed while the bulk shipment was applied');
  }
}

/**
 * Many parcels at once (the tracking-backfill sheet, an ERP's JSON): every row validated first
 * against the orders as they are, then the parcels recorded set-based in chunks, each chunk
 * locked and validated again before it is written (a parcel recorded meanwhile through the single
 * API is "unchanged", never shipped twice). all_or_nothing: any rejected row and nothing is
 * recorded, in one transaction; valid_rows: each chunk commits on its own.
 */
@Injectable()
export class BulkShipmentsService {
  private readonly collaborators: ShipmentCollaborators;
  /** Parcels per chunk (a test may lower it to see several chunks). */
  chunkSize = BULK_SHIPMENT_CHUNK;

  constructor(
    private readonly em: EntityManager,
    catalog: CatalogService,
    inventory: InventoryService,
    orders: OrdersService,
    outbox: OutboxService,
  ) {
    this.collaborators = { catalog, inventory, orders, outbox };
  }

  async record(actor: ActorContext, rows: BulkShipmentRow[], options: BulkShipmentOptions, progress?: (done: number, total: number) => Promise<void>): Promise<BulkShipmentReport> {
    const { outcomes, parcels } = await this.plan(actor, rows, options);
    const anyRejected = outcomes.some((outcome) => outcome.status === 'rejected');
    if (options.mode === 'all_or_nothing' && anyRejected) return report(notApplied(outcomes, options));
    const chunks = chunksOf(parcels, this.chunkSize);
    if (options.mode === 'all_or_nothing') {
      try {
        await this.em.transactional(async (em) => {
          for (const chunk of chunks) {
            const changed = await this.applyChunk(em, actor, rows, chunk, outcomes, options);
            if (changed) throw new ChangedMeanwhile(outcomes);
          }
        });
      } catch (error) {
        if (!(error instanceof ChangedMeanwhile)) throw error;
        return report(notApplied(outcomes, options));
      }
      await progress?.(rows.length, rows.length);
    } else {
      let done = 0;
      // Chunks hold disjoint orders and commit on their own: three at a time, so one is written while the
      // others wait on PostgreSQL (they meet only at shared stock rows, which all lock in one order).
      await eachInFlight(chunks, CHUNKS_IN_FLIGHT, async (chunk) => {
        await this.em.transactional((em) => this.applyChunk(em, actor, rows, chunk, outcomes, options));
        done += chunk.reduce((sum, parcel) => sum + parcel.rows.length, 0);
        await progress?.(done, rows.length);
      });
      await progress?.(rows.length, rows.length);
    }
    return report(outcomes);
  }

  /**
   * Every row checked against the orders as they are (unlocked): each row's outcome so far and the
   * parcels to apply. The state read for it is no longer reachable once this returns, so it never
   * stays in memory while the chunks are applied.
   */
  private async plan(actor: ActorContext, rows: BulkShipmentRow[], options: BulkShipmentOptions): Promise<{ outcomes: BulkRowOutcome[]; parcels: PlannedParcel[] }> {
    const state = await loadPlanState(this.em, this.collaborators.catalog, actor.merchantId, ordersOf(rows));
    const plan = planBulkShipments(rows, state, options.language);
    const outcomes: BulkRowOutcome[] = plan.rows.map((row, index) =>
      row.status === 'rejected'
        ? { index, status: 'rejected', reason: row.reason }
        : row.status === 'unchanged'
          ? { index, status: 'unchanged', shipmentId: row.shipmentId }
          : { index, status: 'applied' },
    );
    return { outcomes, parcels: plan.parcels };
  }

  /**
   * One chunk under lock: its orders and lines locked, its rows planned again against what is now
   * committed, the still valid parcels recorded. Returns true when a row is refused now.
   */
  private async applyChunk(em: EntityManager, actor: ActorContext, rows: BulkShipmentRow[], chunk: PlannedParcel[], outcomes: BulkRowOutcome[], options: BulkShipmentOptions): Promise<boolean> {
    const indexes = chunk.flatMap((parcel) => parcel.rows).sort((a, b) => a - b);
    const locked = await lockPlanState(em, this.collaborators.catalog, actor.merchantId, [...new Set(chunk.map((parcel) => parcel.orderId))]);
    const again = planBulkShipments(
      indexes.map((index) => rows[index]),
      locked.state,
      options.language,
      indexes,
    );
    let changed = false;
    again.rows.forEach((row, position) => {
      const index = indexes[position];
      if (row.status === 'apply') return;
      // Recorded meanwhile with the same contents is as good as applied; anything else is a refusal.
      if (row.status === 'rejected') changed = true;
      outcomes[index] = row.status === 'unchanged' ? { index, status: 'unchanged', shipmentId: row.shipmentId } : { index, status: 'rejected', reason: row.reason };
    });
    if (changed && options.mode === 'all_or_nothing') return true;
    const shipmentIds = await recordParcels(em, this.collaborators, actor.merchantId, again.parcels, locked);
    for (const parcel of again.parcels) {
      const shipmentId = shipmentIds.get(`${parcel.orderId}|${parcel.carrierCode}|${parcel.trackingNumber}`);
      for (const position of parcel.rows) outcomes[indexes[position]] = { index: indexes[position], status: 'applied', shipmentId };
    }
    return changed;
  }
}

const ordersOf = (rows: BulkShipmentRow[]) => [...new Set(rows.map((row) => String(row.fulfillmentOrderId ?? '').trim()))];

/** all_or_nothing refused: rows that would have been applied say why they were not. */
function notApplied(outcomes: BulkRowOutcome[], options: BulkShipmentOptions): BulkRowOutcome[] {
  return outcomes.map((outcome) => (outcome.status === 'applied' ? { index: outcome.index, status: 'rejected', reason: REASONS.batchRejected()[options.language] } : outcome));
}

function report(rows: BulkRowOutcome[]): BulkShipmentReport {
  const count = (status: BulkRowOutcome['status']) => rows.filter((row) => row.status === status).length;
  return { applied: count('applied'), unchanged: count('unchanged'), rejected: count('rejected'), rows };
}
