import { getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AuHttpOptions } from '../core/au.options';
import type { TaskDefinition } from '../tasks/task-definition';
import { createBullBoardHandler } from './bull-board.handler';
import { DASHBOARD_HANDLER } from '../core/au.tokens';
import { createDashboardController } from './dashboard-controller.factory';

/**
 * bull-board at `path` with the Bull queue of every task, served by a controller of its own that carries the app's
 * decorators for au's routes (`http.decorators`, their modules imported as for au's other routes).
 */
@Module({})
export class DashboardModule {
  /** `tasks`: the module that exports the Bull queues (the tasks module, over the Bull backend's). */
  static register(path: string, definitions: TaskDefinition[], tasks: DynamicModule, http?: AuHttpOptions): DynamicModule {
    return {
      module: DashboardModule,
      imports: [tasks, ...(http?.imports ?? [])],
      providers: [
        {
          provide: DASHBOARD_HANDLER,
          useFactory: (...queues: Queue[]) => createBullBoardHandler(path, queues),
          inject: definitions.map(({ name }) => getQueueToken(name)),
        },
      ],
      controllers: [createDashboardController(path, http?.decorators)],
    };
  }
}
