import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { throttledWarning } from '../logging/throttled-warning';
import { REPLICA_READERS, sqlOne } from './sql';

/** Between two looks at how far the replica has replayed. */
const POLL_MS = 5;
/** At most one warning per this long about reads that went to the primary. */
const WARN_EVERY_MS = 10_000;
/** After the replica could not be reached, reads go straight to the primary this long (no probe each). */
const SKIP_AFTER_FAILURE_MS = 10_000;
/** SQLSTATE of a standby query cancelled by a conflict with recovery (replay needed rows it still read). */
const RECOVERY_CONFLICT = '40001';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Reads that may come from the streaming replica of `DATABASE_READ_URL`: the lists, scorecards,
 * statements and statement files. Such a read still sees every write committed before it began:
 * `reader` notes the primary's WAL position, waits until the replica has replayed up to it (at most
 * `DATABASE_READ_MAX_WAIT_MS`) and only then hands out an entity manager whose plain statements
 * (`sqlRows`, `sqlOne`) run on the replica. A replica that lags longer, or cannot be reached, is
 * passed over: the read goes to the primary, and a warning says how often; after a failure to reach it
 * reads go to the primary for 10 s without asking it. Inside a transaction, or
 * with no replica set, the entity manager given is returned as it is. `snapshot` does the same for a
 * repeatable-read transaction.
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger('read-replica');
  private readonly warn = throttledWarning(this.logger, WARN_EVERY_MS);
  private passedOver = 0;
  private skipUntil = 0;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.DATABASE_READ_URL);
  }

  async reader(em: EntityManager): Promise<EntityManager> {
    if (!this.enabled || em.isInTransaction() || Date.now() < this.skipUntil) return em;
    const reader = em.fork() as EntityManager;
    REPLICA_READERS.add(reader);
    try {
      const { lsn } = (await sqlOne<{ lsn: string }>(em, `select pg_current_wal_lsn()::text as lsn`))!;
      const deadline = Date.now() + this.config.DATABASE_READ_MAX_WAIT_MS;
      for (;;) {
        // null: the server replays nothing, so it is no standby of this primary (a misconfiguration): never read it.
        const row = await sqlOne<{ caught_up: boolean | null }>(reader, `select pg_last_wal_replay_lsn() >= ?::pg_lsn as caught_up`, [lsn]);
        if (row!.caught_up === null) return this.passOver(em, 'DATABASE_READ_URL is not a streaming standby (it replays no WAL)');
        if (row!.caught_up) return reader;
        if (Date.now() >= deadline) return this.passOver(em, `the replica had not replayed ${lsn} after ${this.config.DATABASE_READ_MAX_WAIT_MS} ms`);
        await sleep(POLL_MS);
      }
    } catch (error) {
      this.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
      return this.passOver(em, `the replica could not be read (the next ${SKIP_AFTER_FAILURE_MS / 1000} s read the primary): ${(error as Error).message}`);
    }
  }

  /**
   * `work` in one repeatable-read transaction (a consistent snapshot, read only on the replica): on the
   * replica once it has caught up as for `reader`, else on the primary. For files whose parts must agree.
   */
  async snapshot<T>(em: EntityManager, work: (snapshot: EntityManager) => Promise<T>): Promise<T> {
    const onPrimary = () => (em.fork() as EntityManager).transactional(work, { isolationLevel: IsolationLevel.REPEATABLE_READ });
    const reader = await this.reader(em);
    if (!REPLICA_READERS.has(reader)) return onPrimary();
    try {
      return await reader.getKnex('read').transaction(
        async (transaction) => {
          const snapshot = reader.fork() as EntityManager;
          snapshot.setTransactionContext(transaction);
          return work(snapshot);
        },
        { isolationLevel: 'repeatable read', readOnly: true },
      );
    } catch (error) {
      // A long snapshot on a standby may be cancelled when replay needs rows it still reads
      // (without hot_standby_feedback): the work runs again, whole, on the primary.
      if (!isRecoveryConflict(error)) throw error;
      this.passOver(em, `a snapshot on the replica was cancelled by recovery: ${(error as Error).message}`);
      return onPrimary();
    }
  }

  private passOver(em: EntityManager, reason: string): EntityManager {
    this.passedOver++;
    this.warn({ passedOver: this.passedOver, reason }, 'reads went to the primary instead of the replica');
    return em;
  }
}

function isRecoveryConflict(error: unknown): boolean {
  const code = (error as { code?: string; sqlState?: string } | null)?.code ?? (error as { sqlState?: string } | null)?.sqlState;
  return code === RECOVERY_CONFLICT && /recovery/i.test((error as Error).message);
}
