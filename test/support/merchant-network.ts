import { Client } from 'pg';
import { HttpResult, TestApi } from './test-environment';

/** Every member in these stories uses this password. */
export const PASSWORD = 'correct horse battery staple';

/** Money in fen (CNY minor units). */
export const cny = (amount: number) => ({ amount, currency: 'CNY' as const });

export interface SignedUpMerchant {
  merchantId: string;
  name: string;
  email: string;
  /** The owner's login token. */
  token: string;
}

/** Fails with the response body in the message, so a wrong status says why. */
export function expectStatus(response: HttpResult, status: number): void {
  expect({ status: response.status, body: response.body }).toEqual(expect.objectContaining({ status }));
}

/** A 4xx in the one error shape, with its stable code and, when given, the field it names. */
export function expectError(response: HttpResult, status: number, code: string | RegExp, field?: string): void {
  expectStatus(response, status);
  expect(response.body).toEqual({
    error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array), requestId: expect.any(String) },
  });
  expect(response.body.error.code).toEqual(typeof code === 'string' ? code : expect.stringMatching(code));
  if (field !== undefined) {
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.any(String) })]));
  }
}

/** Signs up a merchant and its owner; returns the owner's login token. */
export async function signUp(api: TestApi, merchantName: string, ownerName: string, email: string): Promise<SignedUpMerchant> {
  const response = await api.post('/v1/auth/sign-up', { merchantName, ownerName, email, password: PASSWORD });
  expectStatus(response, 201);
  return { merchantId: response.body.merchant.id, name: merchantName, email, token: response.body.token };
}

/**
 * The id of the invitation `upstream` sent `downstream`, as the invitee finds it among its
 * partnerships (the inviter does not see it before it is accepted).
 */
export async function invitationFrom(api: TestApi, upstreamMerchantId: string, downstream: { token: string }): Promise<string> {
  const inbox = await api.get('/v1/partnerships?side=upstream&status=invited&limit=200', downstream.token);
  expectStatus(inbox, 200);
  const invitation = inbox.body.data.find((item: { upstream: { merchantId: string } }) => item.upstream.merchantId === upstreamMerchantId);
  if (!invitation) throw new Error(`No invitation from merchant ${upstreamMerchantId} in ${JSON.stringify(inbox.body)}`);
  return invitation.id;
}

/** `upstream` invites `downstream`, which accepts; returns the partnership id. */
export async function partner(api: TestApi, upstream: SignedUpMerchant, downstream: SignedUpMerchant): Promise<string> {
  const invite = await api.post('/v1/partnerships', { downstreamMerchantId: downstream.merchantId }, upstream.token);
  expectStatus(invite, 202);
  const partnershipId = await invitationFrom(api, upstream.merchantId, downstream);
  const accept = await api.post(`/v1/partnerships/${partnershipId}/accept`, {}, downstream.token);
  expectStatus(accept, 200);
  return partnershipId;
}

/** Runs `work` with a plain PostgreSQL client on the test's database (to check what was stored). */
export async function withDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Every row of every table of the domain, to compare before and after requests that must change
 * nothing. Sessions, idempotency records and API keys' last use are bookkeeping of the requests
 * themselves and are left out.
 */
export async function snapshotDomain(url: string): Promise<Record<string, unknown[]>> {
  return withDatabase(url, async (client) => {
    const tables = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'
          and table_name not in ('mikro_orm_migrations', 'member_session', 'idempotency_record')
        order by table_name`,
    );
    const snapshot: Record<string, unknown[]> = {};
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query(`select * from "${table}" order by 1`);
      snapshot[table] = rows.rows.map((row: Record<string, unknown>) => {
        const { last_used_at: _lastUsed, ...rest } = row;
        return rest;
      });
    }
    return snapshot;
  });
}

/** Every money amount in a JSON value (`{amount, currency}` objects at any depth). */
export function moneyAmounts(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(moneyAmounts);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const own = typeof record.amount === 'number' && typeof record.currency === 'string' ? [record.amount] : [];
    return [...own, ...Object.values(record).flatMap(moneyAmounts)];
  }
  return [];
}

/**
 * Waits until the worker has nothing left to do (outbox drained, no webhook in flight), so table
 * snapshots taken afterwards move only with the requests a test sends.
 */
export async function waitUntilSettled(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await withDatabase(url, (client) =>
      client.query(
        `select (select count(*) from outbox_event where processed_at is null and failed_at is null)::int
              + (select count(*) from webhook_delivery where status in ('pending', 'delivering', 'retrying'))::int as busy`,
      ),
    );
    if (rows[0].busy === 0) return;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the worker to settle');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
