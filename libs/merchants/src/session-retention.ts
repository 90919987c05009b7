import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec } from '@gongxiao/core';

/**
 * Retention of login sessions (merchants owns `member_session`): sessions that expired, or were
 * revoked, more than `endedDaysAgo` days ago can never be used again. One batch per call; the
 * caller repeats while a batch comes back full. Returns how many were deleted.
 */
export async function pruneEndedSessions(em: EntityManager, endedDaysAgo: number, batch: number): Promise<number> {
  return sqlExec(
    em,
    `delete from member_session where ctid = any(array(
       select ctid from member_session
        where expires_at < now() - make_interval(days => ?) or revoked_at < now() - make_interval(days => ?)
        limit ? for update skip locked))`,
    [endedDaysAgo, endedDaysAgo, batch],
  );
}
