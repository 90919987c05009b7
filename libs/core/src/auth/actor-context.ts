import { ForbiddenError } from '../errors/domain-error';
import { Permission, Role } from './permissions';

/**
 * Who is acting: one merchant, through a member's login or an API key. Every service method
 * takes it first and scopes its queries to `merchantId`.
 */
export class ActorContext {
  constructor(
    readonly merchantId: string,
    readonly permissions: ReadonlySet<Permission>,
    readonly memberId: string | null = null,
    readonly role: Role | null = null,
    readonly apiKeyId: string | null = null,
  ) {}

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  require(permission: Permission): void {
    if (!this.can(permission)) {
      throw new ForbiddenError(`This ${this.apiKeyId ? 'API key' : 'member'} lacks the "${permission}" permission.`);
    }
  }

  /** A context for system work (jobs) acting on behalf of one merchant with every permission. */
  static system(merchantId: string, permissions: readonly Permission[]): ActorContext {
    return new ActorContext(merchantId, new Set(permissions));
  }
}
