import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { AuBackendKind, AuModuleOptions, AuRole, ResolvedAuOptions } from './core/au.options';
import { AU_MODULE_OPTIONS, AU_OPTIONS, TASK_DEFINITIONS } from './core/au.tokens';
import { resolveAuOptions } from './au-options.resolver';
import type { TaskDefinition } from './tasks/task-definition';
import { TaskHooks } from './tasks/task-hooks';
import { TaskRegistry } from './tasks/task.registry';
import { TaskRunner } from './tasks/task.runner';

/**
 * Internal, always global: the resolved options, the task definitions, the registry, the runner and the lifecycle
 * hooks, which every au module (backends included) and `BullModule`'s async factories use, whatever `isGlobal` the
 * app chose for `AuModule`.
 */
@Module({})
export class AuCoreModule {
  static register(
    optionsProviders: Provider[],
    imports: DynamicModule['imports'],
    extras: { backend: AuBackendKind; role: AuRole; metrics: ResolvedAuOptions['metrics'] },
    definitions: TaskDefinition[],
  ): DynamicModule {
    return {
      module: AuCoreModule,
      global: true,
      imports,
      providers: [
        ...optionsProviders,
        {
          provide: AU_OPTIONS,
          useFactory: (raw: AuModuleOptions) => resolveAuOptions(raw ?? {}, extras),
          inject: [AU_MODULE_OPTIONS],
        },
        { provide: TASK_DEFINITIONS, useValue: definitions },
        TaskHooks,
        TaskRegistry,
        TaskRunner,
      ],
      exports: [AU_OPTIONS, TASK_DEFINITIONS, TaskHooks, TaskRegistry, TaskRunner],
    };
  }
}
