import { Client } from 'pg';

/** The migrated template of this jest run (named after the jest parent process). */
/** The data encryption key of every test run (public; tests only). */
export const TEST_DATA_ENCRYPTION_KEYS = `test1:${Buffer.alloc(32, 0x5a).toString('base64')}`;

export function templateDatabase(): string {
  return process.env.GONGXIAO_TEST_TEMPLATE ?? `gongxiao_test_${process.pid}_template`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops test databases left by jest runs whose process is gone (never those of a run in progress). */
export async function dropStaleTestDatabases(client: Client): Promise<void> {
  const found = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'gongxiao\\_test\\_%'`);
  for (const { datname } of found.rows) {
    const pid = Number(/^gongxiao_test_(\d+)_/.exec(datname)?.[1]);
    if (!pid || !alive(pid)) await dropDatabase(client, datname);
  }
}

/** The server of DATABASE_URL, with another database name. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(base: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(base, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`drop database if exists "${name}" with (force)`);
}
