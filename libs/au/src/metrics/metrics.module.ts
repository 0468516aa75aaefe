import { DynamicModule, Module } from '@nestjs/common';
import type { AuRole, ResolvedAuOptions } from '../core/au.options';
import { createMetricsController } from './metrics-controller.factory';
import { MetricsServer } from './metrics.server';
import { AuMetrics } from './metrics.service';

/**
 * Prometheus metrics fed by the lifecycle hooks, with queue depths from the backend (`tasks`: the module exporting it),
 * served at `metrics.path` and, for workers without HTTP, on a port of their own. `GET /tasks/stats` is AuHttpModule's.
 */
@Module({})
export class MetricsModule {
  static register(metrics: ResolvedAuOptions['metrics'], role: AuRole, tasks: DynamicModule): DynamicModule {
    if (!metrics.enabled) return { module: MetricsModule };
    return {
      module: MetricsModule,
      imports: [tasks],
      controllers: role === 'worker' ? [] : [createMetricsController(metrics.path)],
      providers: [AuMetrics, MetricsServer],
      exports: [AuMetrics],
    };
  }
}
