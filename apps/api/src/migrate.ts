import { loadConfig, runMigrations } from '@gongxiao/core';
import { MIGRATIONS } from './migrations';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(config.DATABASE_URL, MIGRATIONS);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database schema is up to date.');
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
});
