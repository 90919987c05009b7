import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/** A one-time password-reset token (only its hash is stored), asked for by the member or its owner. */
@Entity({ tableName: 'password_reset' })
export class PasswordReset {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  memberId!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  /** The owner who issued it; null when the member asked for it itself. */
  @Property({ type: new BigIntType('string'), nullable: true })
  requestedByMemberId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;
}
