import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AU_OPTIONS } from './au.constants';
import { AU_MODULE_OPTIONS } from './au.module-definition';
import type { AuBackendKind, AuModuleOptions, AuRole } from './au.options';
import { resolveAuOptions } from './au-options.resolver';
import { TaskHooks } from './tasks/task-hooks';

/**
 * Internal, always global: the resolved options and the lifecycle hooks, visible to every au module (and to
 * `BullModule`'s async factories) whatever `isGlobal` the app chose for `AuModule`.
 */
@Module({})
export class AuCoreModule {
  static register(
    optionsProviders: Provider[],
    imports: DynamicModule['imports'],
    extras: { backend: AuBackendKind; role: AuRole },
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
        TaskHooks,
      ],
      exports: [AU_OPTIONS, TaskHooks],
    };
  }
}
