import { EntityManager } from '@mikro-orm/postgresql';
import { decryptField, isId, sqlRows } from '@gongxiao/core';
import { Integration } from './platforms/platform-adapter';

/** What the worker needs of a shop to call it back; webhookSecret is plaintext (decrypted). Platform shops are told through their adapter. */
export interface SystemShop {
  id: string;
  merchantId: string;
  status: string;
  integration: Integration;
  callbackUrl: string | null;
  webhookSecret: string;
}

/** Shops by id in one read, without an actor (shops that do not exist are absent). */
export async function systemShops(em: EntityManager, shopIds: string[]): Promise<Map<string, SystemShop>> {
  const rows = await sqlRows<{ id: string; merchant_id: string; status: string; integration: Integration; callback_url: string | null; webhook_secret: string }>(
    em,
    `select id::text, merchant_id::text, status, integration, callback_url, webhook_secret from shop where id = any(?::bigint[])`,
    [shopIds.filter(isId)],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, merchantId: row.merchant_id, status: row.status, integration: row.integration, callbackUrl: row.callback_url, webhookSecret: decryptField(row.webhook_secret) },
    ]),
  );
}
