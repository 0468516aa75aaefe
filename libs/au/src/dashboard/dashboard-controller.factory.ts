import { All, applyDecorators, Controller, Inject, Req, Res, Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_HANDLER } from '../core/au.tokens';
import { auRouteDecorators } from '../http/au-routes';
import type { DashboardHandler } from './bull-board.handler';

/**
 * The dashboard's paths below its root, up to eight segments deep (bull-board's deepest, a job action of its API, has
 * six): named parameters rather than a wildcard, whose syntax differs between Express 5 and Fastify's router.
 */
const SUB_PATHS = ['', ...Array.from({ length: 8 }, (_, depth) => Array.from({ length: depth + 1 }, (__, i) => `:p${i}`).join('/'))];


/** What the controller gets from either platform: Express' request/response, or Fastify's wrappers of Node's. */
interface PlatformRequest extends IncomingMessage {
  raw?: IncomingMessage & { body?: unknown; _body?: boolean };
  body?: unknown;
}
interface PlatformReply {
  raw?: ServerResponse;
  hijack?(): void;
}

/**
 * The dashboard as an ordinary Nest controller at `path` (every method, every sub-path), so the app's guards,
 * interceptors and au's route decorators apply to it as to au's other routes (a handler mounted on the HTTP adapter
 * would pass by them). It hands Node's request, with the path below `path` as its URL, to bull-board's Express app;
 * on Fastify it takes the reply over (hijack) and passes on the body Fastify already parsed.
 */
export function createDashboardController(path: string, decorators?: MethodDecorator[]): Type<unknown> {
  @ApiExcludeController()
  @Controller(path)
  class DashboardController {
    constructor(@Inject(DASHBOARD_HANDLER) readonly handler: DashboardHandler) {}

    @All(SUB_PATHS)
    serve(@Req() request: PlatformRequest, @Res() reply: PlatformReply): Promise<void> {
      const fastify = typeof reply.hijack === 'function';
      const req = fastify ? request.raw! : request;
      const res = (fastify ? reply.raw! : reply) as ServerResponse;
      if (fastify) {
        reply.hijack!();
        // body-parser (inside bull-board) reads no stream that is already marked parsed.
        if (request.body !== undefined) Object.assign(req, { body: request.body, _body: true });
      }
      const url = req.url ?? '/';
      const below = url.slice(path.length);
      req.url = below.startsWith('/') ? below : `/${below}`;
      return new Promise<void>((resolve) => {
        res.once('close', resolve);
        res.once('finish', resolve);
        this.handler(req, res, (error) => {
          req.url = url;
          res.statusCode = error ? 500 : 404;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.end(JSON.stringify({ statusCode: res.statusCode, message: error ? 'Dashboard error' : `Cannot ${req.method} ${url}` }));
        });
      });
    }
  }
  // The app's decorators, as on au's other routes; not the owner guard: the dashboard shows every owner's tasks, so
  // an app that scopes by owner protects it with those decorators (an admin guard).
  const proto = DashboardController.prototype;
  applyDecorators(...auRouteDecorators({ decorators, ownerScoped: false }))(proto, 'serve', Object.getOwnPropertyDescriptor(proto, 'serve')!);
  return DashboardController;
}
