import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from '@gongxiao/core';

@Entity({ tableName: 'member' })
export class Member {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  role!: Role;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  status: ('active' | 'disabled') & Opt = 'active';

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
