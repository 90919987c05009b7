import { money } from '@gongxiao/core';
import type { FulfillmentLineResponseDto } from './fulfillment.dto';
import type { FulfillmentLineRow } from './fulfillment.service';

/** A line's light customization as the supplier reads it: what to make, its key and text, and the extra within its supply price. */
export function customizationOf(line: FulfillmentLineRow): Pick<FulfillmentLineResponseDto, 'customization' | 'customizationKey' | 'customizationLabel' | 'customizationExtra'> {
  return {
    customization: sortedValues(line.customization),
    customizationKey: line.customization_key ?? '',
    customizationLabel: line.customization_label ?? '',
    customizationExtra: line.supply_price_amount !== null ? money(line.customization_extra_amount ?? 0, line.currency) : null,
  };
}

/** The customization with its keys sorted (jsonb stores keys in an order of its own: shorter first). */
export function sortedValues(values: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
