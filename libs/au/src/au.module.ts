import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AuCoreModule } from './au-core.module';
import { AU_ASYNC_OPTIONS_TYPE, AU_OPTIONS_TYPE, AuConfigurableModule } from './au.module-definition';
import { resolveAuExtras, resolveDashboard } from './au-options.resolver';
import { loadDashboardModule } from './dashboard/dashboard-module.loader';
import { loadBackendModule } from './backends/backend-module.loader';
import type { AuModuleExtras } from './core/au.options';
import { HealthModule } from './health/health.module';
import { AuHttpModule } from './http/http.module';
import { MetricsModule } from './metrics/metrics.module';
import { TaskMetadataAccessor } from './tasks/task-metadata.accessor';
import { TasksModule } from './tasks/tasks.module';
import { TrackingModule } from './tracking/tracking.module';

/**
 * The public face of au. `AuModule.forRoot({ tasks: [ReportService] })` turns every `@AsyncTask()` method of the
 * listed classes into a task with its own endpoint, on the in-memory backend or on Bull. It composes one module per
 * concern: the global core (options, registry, runner, hooks), the chosen backend, tasks (discovery, TaskService),
 * metrics, health, request tracking and, unless the process is a worker only, the HTTP routes.
 */
@Module({})
export class AuModule extends AuConfigurableModule {
  static forRoot(options: typeof AU_OPTIONS_TYPE = {}): DynamicModule {
    return this.compose(super.forRoot(options), options, options.owner !== undefined);
  }

  static forRootAsync(options: typeof AU_ASYNC_OPTIONS_TYPE): DynamicModule {
    // The factory may set `owner`: au's routes check for it at run time.
    return this.compose(super.forRootAsync(options), options, true);
  }

  private static compose(definition: DynamicModule, extrasIn: AuModuleExtras, ownerScoped: boolean): DynamicModule {
    const extras = resolveAuExtras(extrasIn);
    const definitions = TaskMetadataAccessor.collect(extras.tasks);
    const tasks = TasksModule.register(loadBackendModule(extras.backend, definitions, extras.role));
    const metrics = MetricsModule.register(extras.metrics, extras.role, tasks);
    const health = HealthModule.register(extras.role, tasks);
    const http =
      extras.role === 'worker' ? [] : [AuHttpModule.register({ definitions, tasks, metrics: extras.metrics.enabled ? metrics : undefined, http: extras.http, ownerScoped })];
    const dashboard = resolveDashboard(extrasIn.dashboard);
    if (dashboard.enabled && extras.role !== 'worker') http.push(loadDashboardModule(dashboard.path, extras.backend, definitions, tasks, extras.http));
    return {
      module: AuModule,
      global: extras.isGlobal,
      imports: [
        AuCoreModule.register(definition.providers ?? [], definition.imports, extras, definitions),
        tasks,
        metrics,
        TrackingModule,
        health,
        ...http,
      ],
      // The task classes are providers here, so listing them in forRoot is all an app does.
      providers: extras.tasks as Provider[],
      exports: [tasks, TrackingModule, metrics, health],
    };
  }
}
