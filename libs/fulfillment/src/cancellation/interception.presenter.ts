import { InterceptionResponseDto } from '../cancellation.dto';

export interface InterceptionRow {
  id: string;
  fulfillment_order_id: string;
  channel_order_id: string;
  supplier_merchant_id: string;
  status: 'requested' | 'intercepted' | 'failed';
  created_at: Date;
  answered_at: Date | null;
  escalated_at: Date | null;
  note: string | null;
}

/** The supplier's view of an interception request. */
export function presentInterception(row: InterceptionRow): InterceptionResponseDto {
  return {
    id: String(row.id),
    fulfillmentOrderId: String(row.fulfillment_order_id),
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
    escalatedAt: row.escalated_at ? new Date(row.escalated_at).toISOString() : null,
    note: row.note,
  };
}
