import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { DiscoveryModule } from '@nestjs/core';
import { AU_OPTIONS } from '../au.constants';
import { createBullRootOptions } from '../backends/bull/bull-config.factory';
import { BullTaskBackend } from '../backends/bull/bull-task.backend';
import { BullTaskWorker } from '../backends/bull/bull-task.worker';
import { createTaskProcessor } from '../backends/bull/task-processor.factory';
import { RedisConnections } from '../storage/redis.connections';
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
      backend === 'memory'
        ? [MemoryTaskBackend, { provide: TaskBackend, useExisting: MemoryTaskBackend }]
        : [
            BullTaskBackend,
            { provide: TaskBackend, useExisting: BullTaskBackend },
            ...(role === 'api' ? [] : [BullTaskWorker, ...definitions.map(createTaskProcessor)]),
          ];
    const queues =
      backend === 'bull'
        ? [
            BullModule.forRootAsync({
              imports: [storage],
              inject: [AU_OPTIONS, RedisConnections],
              useFactory: createBullRootOptions,
            }),
            BullModule.registerQueue(...definitions.map(({ name }) => ({ name }))),
          ]
        : [];
    return {
      module: TasksModule,
      imports: [DiscoveryModule, storage, ...queues],
      controllers: http,
      providers: [
        TaskRegistry,
        TaskExplorer,
        TaskRunner,
        TaskService,
        ...execution,
      ],
      exports: [TaskService, TaskRegistry, TaskBackend, storage, ...queues],
    };
  }
}
