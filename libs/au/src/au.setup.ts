import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AU_OPTIONS } from './au.constants';
import { BodyParserErrorsFilter } from './http/body-parser-errors.filter';
import { RequestIdMiddleware } from './tracking/request-id.middleware';
import type { ResolvedAuOptions } from './au.options';

export interface SetupAuOptions {
  /** Where the Swagger UI is served (`/docs`, document at `/docs-json`); `false` to skip. */
  docsPath?: string | false;
  title?: string;
  version?: string;
}

interface BodyParserApp {
  useBodyParser?(type: string, options: Record<string, unknown>): unknown;
}

/**
 * The app-level half of au, for `main.ts` before `listen()`: request ids ahead of body parsing, the body size limit
 * (`AU_MAX_BODY`) with clear 413/400 answers for oversized or malformed bodies, the Swagger UI
 * and document, and shutdown hooks so running tasks drain on SIGTERM.
 */
export function setupAu(app: INestApplication, { docsPath = 'docs', title = 'au tasks', version = '1.0' }: SetupAuOptions = {}) {
  const options = app.get<ResolvedAuOptions>(AU_OPTIONS);
  const parserApp = app as unknown as BodyParserApp;
  // Ahead of the body parser, so that its 400/413 answers carry X-Request-ID too.
  const requestIds = new RequestIdMiddleware();
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => requestIds.use(req, res, next));
  if (app.getHttpAdapter().getType() === 'express') {
    parserApp.useBodyParser?.('json', { limit: options.maxBodyBytes });
  } else {
    parserApp.useBodyParser?.('application/json', { bodyLimit: options.maxBodyBytes });
  }
  app.useGlobalFilters(new BodyParserErrorsFilter(app.getHttpAdapter()));
  if (docsPath !== false) {
    const config = new DocumentBuilder()
      .setTitle(title)
      .setDescription('Asynchronous tasks: submit, poll, wait for results, cancel.')
      .setVersion(version)
      .build();
    SwaggerModule.setup(docsPath, app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: `${docsPath}-json`,
    });
  }
  app.enableShutdownHooks();
  return app;
}
