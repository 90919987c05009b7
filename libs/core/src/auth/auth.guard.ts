import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-error';
import { PUBLIC_ROUTE, REQUIRED_PERMISSIONS, RequestWithActor } from './auth.decorators';
import { CredentialResolver } from './credential-resolver';
import { Permission } from './permissions';

/**
 * Global guard: every route needs a bearer credential unless marked @Public(). Permissions named by
 * @RequirePermissions() are checked here; tenancy itself is enforced by the services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithActor & { headers: Record<string, string | undefined> }>();
    const header = request.headers['authorization'];
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new UnauthenticatedError();
    const actor = await this.credentials.resolve(match[1]);
    if (!actor) throw new UnauthenticatedError('The bearer credential is unknown, revoked or expired: log in again or use a valid API key.');

    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    const missing = required.filter((permission) => !actor.can(permission));
    if (missing.length > 0) {
      throw new ForbiddenError(`This ${actor.apiKeyId ? 'API key' : 'member'} lacks the permission(s): ${missing.join(', ')}.`);
    }
    request.actor = actor;
    return true;
  }
}
