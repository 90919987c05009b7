import { dropDatabase, templateDatabase, withAdminClient } from './database-admin';

/** Drops this run's template database (test files drop their own databases). */
export default async function globalTeardown(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await withAdminClient(base, (client) => dropDatabase(client, templateDatabase()));
}
