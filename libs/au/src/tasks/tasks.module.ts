import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AuBackendKind, AuRole } from '../au.options';
import { MemoryTaskBackend } from '../backends/memory-task.backend';
import { TaskBackend } from '../backends/task.backend';
import { createTaskController } from '../http/task-controller.factory';
import { TasksController } from '../http/tasks.controller';
import type { TaskDefinition } from './task-definition';
import { TaskExplorer } from './task.explorer';
import { TaskRegistry } from './task.registry';
import { TaskRunner } from './task.runner';
import { TaskService } from './task.service';
import { TASK_DEFINITIONS } from './tasks.tokens';

export interface TasksModuleConfig {
  definitions: TaskDefinition[];
  backend: AuBackendKind;
  role: AuRole;
  storage: DynamicModule;
}

/** Discovery, registry, execution and the HTTP surface of tasks: one generated controller per task. */
@Module({})
export class TasksModule {
  static register({ definitions, backend, role, storage }: TasksModuleConfig): DynamicModule {
    const http = role === 'worker' ? [] : [TasksController, ...definitions.map(createTaskController)];
    const execution =
      backend === 'memory' ? [MemoryTaskBackend, { provide: TaskBackend, useExisting: MemoryTaskBackend }] : [];
    return {
      module: TasksModule,
      imports: [DiscoveryModule, storage],
      controllers: http,
      providers: [
        { provide: TASK_DEFINITIONS, useValue: definitions },
        TaskRegistry,
        TaskExplorer,
        TaskRunner,
        TaskService,
        ...execution,
      ],
      exports: [TaskService, TaskRegistry, storage],
    };
  }
}
