import { MikroORM } from '@mikro-orm/core';
import { Migrator, Migration } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-config';

export interface MigrationEntry {
  name: string;
  class: new (...args: never[]) => Migration;
}

/** Applies every pending migration, in order, each in its own transaction. Returns the names applied. */
export async function runMigrations(databaseUrl: string, migrations: MigrationEntry[]): Promise<string[]> {
  const orm = await MikroORM.init<PostgreSqlDriver>(
    ormOptions(databaseUrl, {
      extensions: [Migrator],
      pool: { min: 0, max: 2 },
      migrations: { migrationsList: migrations as never, transactional: true, allOrNothing: true, tableName: 'schema_migrations' },
    }),
  );
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}
