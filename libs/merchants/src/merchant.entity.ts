import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'merchant' })
export class Merchant {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
