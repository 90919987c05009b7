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
