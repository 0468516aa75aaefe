import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AU_OPTIONS } from './core/au.tokens';
import { BodyParserErrorsFilter } from './http/body-parser-errors.filter';
import { useBodyParsers } from './http/body-parsers';
import { assignRequestId } from './tracking/request-id';
import { RequestIdMiddleware } from './tracking/request-id.middleware';
import { RequestIdMount } from './tracking/tracking.module';
import type { ResolvedAuOptions } from './core/au.options';

export interface SetupAuOptions {
  /** Where the Swagger UI is served (`/docs`, document at `/docs-json`); `false` to skip. */
  docsPath?: string | false;
  title?: string;
  version?: string;
  /**
   * Adds what only the app knows to the OpenAPI document: license, servers, security schemes and requirements, e.g.
   * `(doc) => doc.setLicense('MIT', 'https://spdx.org/licenses/MIT.html').addBearerAuth().addSecurityRequirements('bearer')`.
   * Without servers the document names the one that serves it (`/`); without security requirements it says that
   * none are needed (`security: []`).
   */
  document?: (builder: DocumentBuilder) => DocumentBuilder;
}

/**
 * The app-level half of au, for `main.ts` before `listen()`, on Express or Fastify: request ids on every response
 * (body-parser errors included), the body size limit (`AU_MAX_BODY`) with clear 413/400 answers for oversized or
 * malformed bodies, the Swagger UI and document, and shutdown hooks so running tasks drain on SIGTERM.
 */
export function setupAu(app: INestApplication, { docsPath = 'docs', title = 'au tasks', version = '1.0', document }: SetupAuOptions = {}) {
  const options = app.get<ResolvedAuOptions>(AU_OPTIONS);
  useRequestIds(app);
  useBodyParsers(app, options.maxBodyBytes);
  app.useGlobalFilters(new BodyParserErrorsFilter(app.getHttpAdapter(), options.maxBodyBytes));
  if (docsPath !== false) {
    const builder = new DocumentBuilder()
      .setTitle(title)
      .setDescription('Asynchronous tasks: submit, poll, wait for results, cancel.')
      .setVersion(version);
    const config = (document?.(builder) ?? builder).build();
    if (!config.servers?.length) config.servers = [{ url: '/', description: 'The server that serves this document' }];
    config.security ??= [];
    SwaggerModule.setup(docsPath, app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: `${docsPath}-json`,
    });
  }
  app.enableShutdownHooks();
  return app;
}

/**
 * `X-Request-ID` on every response, so that answers given before any route (body-parser errors, 404) carry it too;
 * `RequestIdMiddleware` then finds it on the response and puts the same id in the CLS context.
 * - Express: the middleware, mounted ahead of the body parser.
 * - Fastify answers a malformed URL (`%FF`) or an over-long path parameter from its router, before any hook or
 *   middleware runs: the id goes on the raw response where every request starts, the server's `request` event,
 *   ahead of Fastify's own listener (Node merges it into whatever head Fastify writes).
 */
function useRequestIds(app: INestApplication): void {
  if (app.getHttpAdapter().getType() === 'fastify') {
    (app.getHttpServer() as Server).prependListener('request', (req: IncomingMessage, res: ServerResponse) => assignRequestId(req, res));
    return;
  }
  const requestIds = new RequestIdMiddleware();
  // Takes the place of the route-level mount of TrackingModule, which runs at init (listen), after this.
  app.get(RequestIdMount).mountedByApp = true;
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => requestIds.use(req, res, next));
}
