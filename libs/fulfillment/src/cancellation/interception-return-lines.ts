import { ShippedLine, UnitsOfLine } from '../after-sales-support';

/**
 * What comes back after an answer, per shipped line of the parcel: intercepted, everything still
 * open of the parcel; failed, the units the request was about (a request without recorded units,
 * made before they were recorded, covers the whole parcel). Never units already in a case.
 */
export function interceptionReturnLines(outcome: 'intercepted' | 'failed', parcel: ShippedLine[], asked: UnitsOfLine[]): { id: string; quantity: number }[] {
  return parcel
    .map((line) => {
      const open = line.shipped_quantity - line.returned_quantity;
      const wanted = outcome === 'intercepted' || asked.length === 0 ? open : (asked.find((item) => item.lineId === line.id)?.quantity ?? 0);
      return { id: line.id, quantity: Math.min(open, wanted) };
    })
    .filter((line) => line.quantity > 0);
}
