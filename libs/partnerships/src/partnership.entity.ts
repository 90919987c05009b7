import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { TransitionTable } from '@gongxiao/core';

export type PartnershipStatus = 'invited' | 'active' | 'suspended' | 'declined';

export const PARTNERSHIP_LIFECYCLE = new TransitionTable<PartnershipStatus>('partnership', {
  invited: ['active', 'declined'],
  active: ['suspended'],
  suspended: ['active'],
  declined: ['invited'],
});

/** An upstream merchant supplies a downstream merchant, on settlement terms. */
@Entity({ tableName: 'partnership' })
export class Partnership {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  upstreamMerchantId!: string;

  @Property({ type: 'bigint' })
  downstreamMerchantId!: string;

  @Property({ type: 'text' })
  status: PartnershipStatus & Opt = 'invited';

  @Property({ type: 'text' })
  settlementCycle: 'monthly' & Opt = 'monthly';

  @Property({ type: 'text' })
  currency: string & Opt = 'CNY';

  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'datetime' })
  invitedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  acceptedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  suspendedAt: Date | null = null;

  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  suspendedByMerchantId: string | null = null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
