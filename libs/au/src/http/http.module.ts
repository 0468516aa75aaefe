import { DynamicModule, Module, Type } from '@nestjs/common';
import type { TaskDefinition } from '../tasks/task-definition';
import { createTaskController } from './task-controller.factory';
import { TaskStatsController } from './task-stats.controller';
import { TaskRetryController } from './task-retry.controller';
import { TaskSchedulesController } from './task-schedules.controller';
import { TasksController } from './tasks.controller';

export interface AuHttpConfig {
  definitions: TaskDefinition[];
  /** The module providing `TaskService` (and the backend). */
  tasks: DynamicModule;
  /** The metrics module, when metrics are on: `GET /tasks/stats` is served then. */
  metrics?: DynamicModule;
}

/**
 * au's HTTP surface: `GET /tasks/stats`, the shared tasks controller (read, result, cancel, list) and one generated
 * controller per task (`POST /tasks/{name}`). Routes are registered in this order, so `stats` and `schedules` are never taken for an id.
 */
@Module({})
export class AuHttpModule {
  static register({ definitions, tasks, metrics }: AuHttpConfig): DynamicModule {
    const controllers: Type<unknown>[] = [
      ...(metrics ? [TaskStatsController] : []),
      TaskSchedulesController,
      TasksController,
      TaskRetryController,
      ...definitions.map(createTaskController),
    ];
    return {
      module: AuHttpModule,
      imports: [tasks, ...(metrics ? [metrics] : [])],
      controllers,
    };
  }
}
