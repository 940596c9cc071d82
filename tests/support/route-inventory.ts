import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from '@toonbank/platform';
import { UNPREFIXED_ROUTES } from '../../apps/api/src/configure-api';

export interface DeclaredRoute {
  /** e.g. "PATCH /api/users/:id" */
  route: string;
  public: boolean;
  permission: string | undefined;
}

const joinPath = (...parts: (string | undefined)[]) =>
  `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every HTTP route of the running application, with what it declares (read from Nest's metadata). */
export function declaredRoutes(
  app: INestApplication,
  globalPrefix = 'api',
  unprefixed: readonly string[] = UNPREFIXED_ROUTES,
): DeclaredRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
    if (!controller || !wrapper.instance) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const own = joinPath(prefix, path);
      const full = unprefixed.includes(own.slice(1)) ? own : joinPath(globalPrefix, own);
      routes.push({
        route: `${RequestMethod[method]} ${full}`,
        public: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, controller]) === true,
        permission: reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, [handler, controller]),
      });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}
