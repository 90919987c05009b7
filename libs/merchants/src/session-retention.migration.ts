import { Migration } from '@mikro-orm/migrations';

/** Ended sessions are pruned by age (pruneEndedSessions). */
export class Migration20261201000542SessionRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists member_session_expires_idx on member_session (expires_at)`);
  }
}
