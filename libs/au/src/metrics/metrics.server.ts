import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { ResolvedAuOptions } from '../core/au.options';
import { AU_OPTIONS } from '../core/au.tokens';
import { AuMetrics } from './metrics.service';

/**
 * A bare HTTP server for `/metrics` on `AU_METRICS_PORT`, so a worker (a Nest application context, no HTTP server)
 * can be scraped too. Listens on `HOST` (default loopback).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: AuMetrics,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, path } = this.options.metrics;
    if (port === undefined) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== path) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, message: `Only GET ${path} is served here` }));
        return;
      }
      this.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
      );
    });
    const host = process.env.HOST ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, host, resolve));
    this.logger.log(`Metrics on http://${host}:${port}${path}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
