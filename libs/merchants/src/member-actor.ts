import { ActorContext, DomainError } from '@gongxiao/core';

/**
 * People are managed by people: an API key (a machine, whoever made it) cannot add, disable,
 * re-role or reset members, nor make keys, so a key can never undo a demotion or outlive a removal.
 */
export function assertMember(actor: ActorContext, action: string): void {
  if (!actor.memberId) throw new DomainError('forbidden', 'members_only', `Only a logged-in member may ${action}, not an API key.`);
}
