import { DynamicModule, Module } from '@nestjs/common';
import type { AuRole, ResolvedAuOptions } from '../au.options';
import { createMetricsController } from './metrics-controller.factory';
import { MetricsServer } from './metrics.server';
import { AuMetrics } from './metrics.service';
import { TaskStatsController } from './task-stats.controller';

/** Prometheus metrics fed by the lifecycle hooks, `GET /tasks/stats`, and a metrics port for workers. */
@Module({})
export class MetricsModule {
  static register(metrics: ResolvedAuOptions['metrics'], role: AuRole): DynamicModule {
    if (!metrics.enabled) return { module: MetricsModule };
    const http = role === 'worker' ? [] : [TaskStatsController, createMetricsController(metrics.path)];
    return {
      module: MetricsModule,
      controllers: http,
      providers: [AuMetrics, MetricsServer],
      exports: [AuMetrics],
    };
  }
}
