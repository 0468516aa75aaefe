import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TaskExplorer } from './task.explorer';
import { TaskService } from './task.service';
import { TaskSchedules } from './task-schedules';
import { TaskEventStream } from './task-event.stream';

/**
 * Discovery of the task methods and `TaskService`, over the backend module chosen in `forRoot` (which provides
 * `TaskStore` and `TaskBackend`). The registry, runner and hooks are au's global core, which backends use too.
 */
@Module({})
export class TasksModule {
  static register(backend: DynamicModule): DynamicModule {
    return {
      module: TasksModule,
      imports: [DiscoveryModule, backend],
      providers: [TaskExplorer, TaskService, TaskSchedules, TaskEventStream],
      exports: [TaskService, TaskSchedules, TaskEventStream, backend],
    };
  }
}
