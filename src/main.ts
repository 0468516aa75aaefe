// First: the OpenTelemetry SDK (when OTEL_TRACES_EXPORTER is set) must be running before http is loaded.
import './tracing';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuLogger, setupAu } from '@au/nestjs';
import { AppModule } from './app.module';

const logger = new AuLogger({ json: process.env.LOG_FORMAT === 'json' });

/** AU_ROLE=worker: a Nest application context that runs tasks, with no HTTP server (metrics on AU_METRICS_PORT). */
async function startWorker(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger });
  app.enableShutdownHooks();
  await app.init();
  Logger.log('au worker started', 'Bootstrap');
}

/** AU_ROLE=api or all (default): the HTTP API with Swagger at /docs. */
async function startApi(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger });
  setupAu(app, {
    document: (doc) => {
      doc.setLicense('MIT', 'https://spdx.org/licenses/MIT.html');
      // DEMO_AUTH=on puts ApiBearerAuth() on au's routes: the document declares the scheme they name.
      return process.env.DEMO_AUTH === 'on' ? doc.addBearerAuth() : doc;
    },
  });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  Logger.log(`au ${process.env.AU_ROLE ?? 'all'} listening on http://127.0.0.1:${port} (docs at /docs)`, 'Bootstrap');
}

void (process.env.AU_ROLE === 'worker' ? startWorker() : startApi());
