import { DynamicModule, Module, Type } from '@nestjs/common';
import type { TaskDefinition } from '../tasks/task-definition';
import { createTaskController } from './task-controller.factory';
import { TaskStatsController } from './task-stats.controller';
import { TasksController } from './tasks.controller';
import { TaskEventsController } from './task-events.controller';

export interface AuHttpConfig {
  definitions: TaskDefinition[];
  /** The module providing `TaskService` (and the backend). */
  tasks: DynamicModule;
  /** The metrics module, when metrics are on: `GET /tasks/stats` is served then. */
  metrics?: DynamicModule;
}

/**
 * au's HTTP surface: `GET /tasks/stats`, the shared tasks controller (read, result, cancel, list) and one generated
 * controller per task (`POST /tasks/{name}`). Routes are registered in this order, so `stats` is never taken for an id.
 */
@Module({})
export class AuHttpModule {
  static register({ definitions, tasks, metrics }: AuHttpConfig): DynamicModule {
    const controllers: Type<unknown>[] = [
      ...(metrics ? [TaskStatsController] : []),
      TasksController,
      TaskEventsController,
      ...definitions.map(createTaskController),
    ];
    return {
      module: AuHttpModule,
      imports: [tasks, ...(metrics ? [metrics] : [])],
      controllers,
    };
  }
}
