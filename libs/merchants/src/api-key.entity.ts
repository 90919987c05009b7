import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { Permission } from '@gongxiao/core';

/** Machine access for one merchant. Only a hash of the secret is stored; it is shown once. */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The first characters of the key, to recognise it in listings. */
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Property({ type: 'text[]' })
  scopes!: Permission[];

  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  createdByMemberId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  /** After this the key is refused; null = never. */
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;
}
