import { Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';

/**
 * MikroORM settings shared by api, worker and tests. Entities are registered by each context's
 * module (`MikroOrmModule.forFeature`); the schema comes from migrations only, never auto-sync.
 */
export function ormOptions(databaseUrl: string, overrides: Partial<Options<PostgreSqlDriver>> = {}): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: 20 },
    // Fail fast with a 503 when PostgreSQL is away rather than hang a request.
    driverOptions: { connection: { connectionTimeoutMillis: 5000, statement_timeout: 30_000 } },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    ...overrides,
  };
}
