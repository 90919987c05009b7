import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { REPLICA_READERS, sqlOne } from './sql';

/** Between two looks at how far the replica has replayed. */
const POLL_MS = 5;
/** At most one warning per this long about reads that went to the primary. */
const WARN_EVERY_MS = 10_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Reads that may come from the streaming replica of `DATABASE_READ_URL`: the lists, scorecards,
 * statements and statement files. Such a read still sees every write committed before it began:
 * `reader` notes the primary's WAL position, waits until the replica has replayed up to it (at most
 * `DATABASE_READ_MAX_WAIT_MS`) and only then hands out an entity manager whose plain statements
 * (`sqlRows`, `sqlOne`) run on the replica. A replica that lags longer, or cannot be reached, is
 * passed over: the read goes to the primary, and a warning says how often. Inside a transaction, or
 * with no replica set, the entity manager given is returned as it is. `snapshot` does the same for a
 * repeatable-read transaction.
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger('read-replica');
  private passedOver = 0;
  private lastWarning = 0;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.DATABASE_READ_URL);
  }

  async reader(em: EntityManager): Promise<EntityManager> {
    if (!this.enabled || em.isInTransaction()) return em;
    const reader = em.fork() as EntityManager;
    REPLICA_READERS.add(reader);
    try {
      const { lsn } = (await sqlOne<{ lsn: string }>(em, `select pg_current_wal_lsn()::text as lsn`))!;
      const deadline = Date.now() + this.config.DATABASE_READ_MAX_WAIT_MS;
      for (;;) {
        // null: the server is not replaying (it is a primary itself), so it holds what it holds.
        const row = await sqlOne<{ caught_up: boolean | null }>(reader, `select pg_last_wal_replay_lsn() >= ?::pg_lsn as caught_up`, [lsn]);
        if (row!.caught_up !== false) return reader;
        if (Date.now() >= deadline) return this.passOver(em, `the replica had not replayed ${lsn} after ${this.config.DATABASE_READ_MAX_WAIT_MS} ms`);
        await sleep(POLL_MS);
      }
    } catch (error) {
      return this.passOver(em, `the replica could not be read: ${(error as Error).message}`);
    }
  }

  /**
   * `work` in one repeatable-read transaction (a consistent snapshot, read only on the replica): on the
   * replica once it has caught up as for `reader`, else on the primary. For files whose parts must agree.
   */
  async snapshot<T>(em: EntityManager, work: (snapshot: EntityManager) => Promise<T>): Promise<T> {
    const reader = await this.reader(em);
    if (!REPLICA_READERS.has(reader)) return (em.fork() as EntityManager).transactional(work, { isolationLevel: IsolationLevel.REPEATABLE_READ });
    return reader.getKnex('read').transaction(
      async (transaction) => {
        const snapshot = reader.fork() as EntityManager;
        snapshot.setTransactionContext(transaction);
        return work(snapshot);
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
  }

  private passOver(em: EntityManager, reason: string): EntityManager {
    this.passedOver++;
    if (Date.now() - this.lastWarning >= WARN_EVERY_MS) {
      this.lastWarning = Date.now();
      this.logger.warn({ passedOver: this.passedOver, reason }, 'reads went to the primary instead of the replica');
    }
    return em;
  }
}
