import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * The OpenTelemetry Node SDK, started when `OTEL_TRACES_EXPORTER` is set (`console`, `otlp`, ...) and configured from
 * the standard `OTEL_*` variables (service name, endpoint, sampler, propagators), with HTTP instrumentation: the
 * server span of each request continues an incoming `traceparent`, and au's spans go under it. Metrics and logs stay
 * off unless their `OTEL_*_EXPORTER` says otherwise (the app serves Prometheus metrics itself). Loaded only then, and
 * imported by main.ts before anything that loads `http`, so that the instrumentation sees it.
 */
function startTracing(): NodeSDK | undefined {
  if (!process.env.OTEL_TRACES_EXPORTER) return undefined;
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK: Sdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new Sdk({ instrumentations: [new HttpInstrumentation()] });
  sdk.start();
  return sdk;
}

const sdk = startTracing();

/** Flushes and stops the SDK when the app shuts down (a no-op without it). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await sdk?.shutdown();
  }
}
