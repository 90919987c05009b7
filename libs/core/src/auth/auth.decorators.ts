import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../http/openapi';
import { ActorContext } from './actor-context';
import { Permission } from './permissions';

export const PUBLIC_ROUTE = 'gongxiao:public';
export const REQUIRED_PERMISSIONS = 'gongxiao:permissions';

/** The route needs no credentials (sign-up, login, signed shop webhooks, health, docs). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-public', true));

/** The route needs an authenticated actor holding every listed permission. */
export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    ApiBearerAuth(),
    ApiExtension('x-required-permissions', permissions),
    ApiUnauthorizedResponse({ description: 'No, unknown, revoked or expired credential', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: `Needs permission(s): ${permissions.join(', ') || 'any authenticated member or key'}`, type: ErrorResponseDto }),
  );

export interface RequestWithActor {
  actor?: ActorContext;
}

/** The authenticated actor of the request. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): ActorContext => {
  const request = context.switchToHttp().getRequest<RequestWithActor>();
  if (!request.actor) throw new Error('Actor requested on a route without authentication');
  return request.actor;
});
