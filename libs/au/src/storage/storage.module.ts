import { DynamicModule, Module } from '@nestjs/common';
import type { AuBackendKind } from '../au.options';
import { MemoryTaskStore } from './memory-task.store';
import { TaskStore } from './task.store';

/** Provides `TaskStore`: records in memory, or in Redis beside Bull's jobs. */
@Module({})
export class StorageModule {
  static register(backend: AuBackendKind): DynamicModule {
    if (backend === 'memory') {
      return {
        module: StorageModule,
        providers: [MemoryTaskStore, { provide: TaskStore, useExisting: MemoryTaskStore }],
        exports: [TaskStore, MemoryTaskStore],
      };
    }
    throw new Error(`Storage for backend "${backend}" is not available yet`);
  }
}
