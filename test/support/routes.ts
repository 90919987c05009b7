import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Permission, PUBLIC_ROUTE, REQUIRED_PERMISSIONS } from '@gongxiao/core';

export interface AppRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:param` placeholders, e.g. /v1/returns/:returnId/refund */
  path: string;
  isPublic: boolean;
  permissions: Permission[];
  /** The handler reads a validated body. */
  takesBody: boolean;
  params: string[];
}

const join = (...parts: (string | undefined)[]) =>
  `/${parts
    .filter((part) => part !== undefined && part !== '' && part !== '/')
    .map((part) => part!.replace(/^\/|\/$/g, ''))
    .join('/')}`;

/**
 * Every route the application serves, read from the controllers registered in its modules (the
 * same metadata Nest builds the router from), with its guard settings: a new route cannot escape.
 */
export function enumerateRoutes(app: NestFastifyApplication): AppRoute[] {
  const routes: AppRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
      const classPermissions = (Reflect.getMetadata(REQUIRED_PERMISSIONS, controller) as Permission[] | undefined) ?? [];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        if (name === 'constructor') continue;
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] as AppRoute['method'];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
        for (const one of Array.isArray(path) ? path : [path]) {
          const full = join(prefix, one);
          routes.push({
            method,
            path: full,
            isPublic: classPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true,
            permissions: [...classPermissions, ...((Reflect.getMetadata(REQUIRED_PERMISSIONS, handler) as Permission[] | undefined) ?? [])],
            takesBody: Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY)),
            params: [...full.matchAll(/:(\w+)/g)].map((match) => match[1]),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/**
 * Every (method, path) the HTTP server itself answers, read from fastify's router tree, so that a
 * route registered outside the controllers shows up too. HEAD (fastify's automatic twin of GET) is left out.
 */
export function routerRoutes(app: NestFastifyApplication): string[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const paths: string[] = [];
  const found: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    paths.length = depth;
    const path = `${paths[depth - 1] ?? ''}${match[2]}`;
    paths[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter((item) => item && item !== 'HEAD')) found.push(`${method} ${path}`);
  }
  return found;
}
