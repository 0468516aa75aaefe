import { DynamicModule, Module, Type } from '@nestjs/common';
import type { AuHttpOptions } from '../core/au.options';
import { auController, AuRouteConfig } from './au-routes';
import type { TaskDefinition } from '../tasks/task-definition';
import { createTaskController } from './task-controller.factory';
import { TaskStatsController } from './task-stats.controller';
import { TaskRetryController } from './task-retry.controller';
import { TaskSchedulesController } from './task-schedules.controller';
import { TasksController } from './tasks.controller';
import { TaskEventsController } from './task-events.controller';

export interface AuHttpConfig {
  definitions: TaskDefinition[];
  /** The module providing `TaskService` (and the backend). */
  tasks: DynamicModule;
  /** The metrics module, when metrics are on: `GET /tasks/stats` is served then. */
  metrics?: DynamicModule;
  /** The app's decorators for every au route, and the modules their guards and interceptors inject from. */
  http?: AuHttpOptions;
  /** Whether an `owner` option may be set (see AuRouteConfig). */
  ownerScoped: boolean;
}

/**
 * au's HTTP surface: one generated controller per task (`POST /tasks/{name}`), `GET /tasks/stats`, the schedules and
 * the shared tasks controller (read, result, cancel, list). Routes are registered in this order: Express tries them
 * one by one, so the submit routes, the busiest, are not first tried against every `/tasks/:id…` pattern, and
 * `stats` and `schedules` are never taken for an id.
 * Every route carries the app's decorators and au's owner guard (`auController`, `auRouteDecorators`); guards and
 * interceptors they name are resolved here, so `http.imports` brings in the providers they inject. A route added here
 * later goes through the same helpers (`auController(SharedController, routes)`, or `auRouteDecorators(routes, own)`
 * for a generated one), so it gets the same decorators.
 */
@Module({})
export class AuHttpModule {
  static register({ definitions, tasks, metrics, http, ownerScoped }: AuHttpConfig): DynamicModule {
    const routes: AuRouteConfig = { decorators: http?.decorators, ownerScoped };
    const controllers: Type<unknown>[] = [
      ...definitions.map((definition) => createTaskController(definition, routes)),
      ...(metrics ? [auController(TaskStatsController, routes)] : []),
      auController(TaskSchedulesController, routes),
      auController(TasksController, routes),
      auController(TaskEventsController, routes),
      auController(TaskRetryController, routes),
    ];
    return {
      module: AuHttpModule,
      imports: [tasks, ...(metrics ? [metrics] : []), ...(http?.imports ?? [])],
      controllers,
    };
  }
}
