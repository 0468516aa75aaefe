import { applyDecorators, Type, UseGuards } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { AuOwnerGuard } from './au-owner.guard';

/** What every au route of one module definition is decorated with, fixed when `forRoot`/`forRootAsync` runs. */
export interface AuRouteConfig {
  /** The app's `forRoot({ http: { decorators } })`. */
  decorators?: MethodDecorator[];
  /** Whether tasks may be scoped by owner: not when `forRoot` got no `owner` (a `forRootAsync` factory may give one). */
  ownerScoped: boolean;
}

/**
 * The decorators of an au route, for every au controller and route (generated or shared, present or added later):
 * the app's `forRoot({ http: { decorators } })` first, then the route's own (a task's `@AsyncTask({ decorators })`),
 * then au's owner guard, last so that it sees what the app's guards put on the request (left out when no owner can
 * be set, so an open app pays nothing for it).
 */
export function auRouteDecorators(routes: AuRouteConfig, own: MethodDecorator[] = []): MethodDecorator[] {
  return [...(routes.decorators ?? []), ...own, ...(routes.ownerScoped ? [UseGuards(AuOwnerGuard)] : [])];
}

/**
 * A subclass of a shared au controller for one module definition, with `auRouteDecorators(routes)` on each of its
 * routes. Nest keeps a route's metadata (path, guards, Swagger...) on the method's function, so each route gets a
 * function of its own carrying a copy of the base's metadata: the shared class is never changed, and two apps (or
 * two `forRoot` calls) with different decorators do not see each other's.
 */
export function auController<T>(base: Type<T>, routes: AuRouteConfig): Type<T> {
  const AuRoutes = class extends (base as Type<object>) {};
  const decorate = applyDecorators(...auRouteDecorators(routes));
  for (const key of Object.getOwnPropertyNames(base.prototype)) {
    const inherited: unknown = key === 'constructor' ? undefined : base.prototype[key];
    if (typeof inherited !== 'function' || Reflect.getMetadata(PATH_METADATA, inherited) === undefined) continue;
    const route = function (this: object, ...args: unknown[]) {
      return inherited.apply(this, args);
    };
    for (const metadataKey of Reflect.getMetadataKeys(inherited)) {
      const value: unknown = Reflect.getMetadata(metadataKey, inherited);
      Reflect.defineMetadata(metadataKey, Array.isArray(value) ? [...value] : value, route);
    }
    Object.defineProperty(route, 'name', { value: key });
    const descriptor: PropertyDescriptor = { value: route, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(AuRoutes.prototype, key, descriptor);
    decorate(AuRoutes.prototype, key, descriptor);
  }
  Object.defineProperty(AuRoutes, 'name', { value: base.name });
  return AuRoutes as Type<T>;
}
