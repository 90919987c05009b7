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

/**
 * The read replica, when one is set: used only by reads that ask for it (`ReadReplica.reader`), never
 * by the ORM's own finds (`preferReadReplicas: false`), so a write and the read after it agree.
 */
export function replicaOptions(readUrl: string | undefined): Partial<Options<PostgreSqlDriver>> {
  return readUrl ? { replicas: [{ name: 'read', clientUrl: readUrl }], preferReadReplicas: false } : {};
}
