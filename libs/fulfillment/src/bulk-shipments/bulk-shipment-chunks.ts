import { PlannedParcel } from './bulk-shipment.types';

/** Parcels in chunks of about `size`, each order's parcels in one chunk (in upload order). */
export function chunksOf(parcels: PlannedParcel[], size: number): PlannedParcel[][] {
  const byOrder = new Map<string, PlannedParcel[]>();
  for (const parcel of parcels) byOrder.set(parcel.orderId, [...(byOrder.get(parcel.orderId) ?? []), parcel]);
  const chunks: PlannedParcel[][] = [];
  let current: PlannedParcel[] = [];
  for (const ofOrder of byOrder.values()) {
    if (current.length > 0 && current.length + ofOrder.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...ofOrder);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** `work` for every item, at most `width` at a time; the first failure is thrown once the items under way have finished. */
export async function eachInFlight<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      await work(item).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  if (failure) throw failure.error;
}
