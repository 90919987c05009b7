import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/** A member's login token (opaque, stored hashed, revocable). */
@Entity({ tableName: 'member_session' })
export class MemberSession {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  memberId!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;
}
