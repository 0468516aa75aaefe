import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AU_OPTIONS } from './au.constants';
import { AU_MODULE_OPTIONS } from './au.module-definition';
import type { AuBackendKind, AuModuleOptions, AuRole, ResolvedAuOptions } from './au.options';
import { resolveAuOptions } from './au-options.resolver';
import type { TaskDefinition } from './tasks/task-definition';
import { TaskHooks } from './tasks/task-hooks';
import { TASK_DEFINITIONS } from './tasks/tasks.tokens';

/**
 * Internal, always global: the resolved options, the task definitions and the lifecycle hooks, visible to every au module (and to
 * `BullModule`'s async factories) whatever `isGlobal` the app chose for `AuModule`.
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
      ],
      exports: [AU_OPTIONS, TASK_DEFINITIONS, TaskHooks],
    };
  }
}
