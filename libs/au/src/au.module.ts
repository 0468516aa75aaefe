import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AuCoreModule } from './au-core.module';
import { AU_ASYNC_OPTIONS_TYPE, AU_OPTIONS_TYPE, AuConfigurableModule } from './au.module-definition';
import type { AuModuleExtras } from './au.options';
import { resolveAuExtras } from './au-options.resolver';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { StorageModule } from './storage/storage.module';
import { TaskMetadataAccessor } from './tasks/task-metadata.accessor';
import { TasksModule } from './tasks/tasks.module';
import { TrackingModule } from './tracking/tracking.module';

/**
 * The public face of au. `AuModule.forRoot({ tasks: [ReportService] })` turns every `@AsyncTask()` method of the
 * listed classes into a task with its own endpoint, on the in-memory backend or on Bull.
 */
@Module({})
export class AuModule extends AuConfigurableModule {
  static forRoot(options: typeof AU_OPTIONS_TYPE = {}): DynamicModule {
    return this.compose(super.forRoot(options), options);
  }

  static forRootAsync(options: typeof AU_ASYNC_OPTIONS_TYPE): DynamicModule {
    return this.compose(super.forRootAsync(options), options);
  }

  private static compose(definition: DynamicModule, extrasIn: AuModuleExtras): DynamicModule {
    const extras = resolveAuExtras(extrasIn);
    const definitions = TaskMetadataAccessor.collect(extras.tasks);
    const storage = StorageModule.register(extras.backend);
    const tasks = TasksModule.register({ definitions, backend: extras.backend, role: extras.role, storage });
    const metrics = MetricsModule.register(extras.metrics, extras.role);
    const health = HealthModule.register(extras.role);
    return {
      module: AuModule,
      global: extras.isGlobal,
      imports: [
        AuCoreModule.register(definition.providers ?? [], definition.imports, extras, definitions),
        // Before tasks: its GET /tasks/stats must be routed ahead of GET /tasks/:id.
        metrics,
        tasks,
        TrackingModule,
        health,
      ],
      // The task classes are providers here, so listing them in forRoot is all an app does.
      providers: extras.tasks as Provider[],
      exports: [tasks, TrackingModule, metrics, health],
    };
  }
}
