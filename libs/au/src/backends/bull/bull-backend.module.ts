import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AuRole } from '../../core/au.options';
import { AU_OPTIONS, AU_QUEUES } from '../../core/au.tokens';
import { backendProviders } from '../../tasks/backend-parts';
import type { TaskDefinition } from '../../tasks/task-definition';
import { createBullRootOptions } from './bull-config.factory';
import { BullTaskBackend, TaskQueues } from './bull-task.backend';
import { BullTaskWorker } from './bull-task.worker';
import { BullScheduleClock, SCHEDULE_QUEUE } from './bull-schedule.clock';
import { FinishMessages } from './redis/finish-messages';
import { AuRedisModule } from './redis/redis.module';
import { RedisConnections } from './redis/redis.connections';
import { RedisTaskStore } from './redis/redis-task.store';
import { RedisTaskWriter } from './redis/redis-task.writer';
import { RedisTaskEvents } from './redis/redis-task.events';
import { createTaskProcessor } from './task-processor.factory';

/**
 * The Bull backend: one Bull queue per task through @nestjs/bull (so `@InjectQueue(name)` works in the app), records in
 * Redis beside Bull's jobs, and, unless the process is an API only, a generated processor per task that runs its jobs.
 * Loaded only when the app chooses Bull, so apps on the memory backend need neither bull nor ioredis.
 */
@Module({})
export class BullBackendModule {
  static register(definitions: TaskDefinition[], role: AuRole): DynamicModule {
    const scheduled = definitions.some((d) => d.schedule) ? [{ name: SCHEDULE_QUEUE }] : [];
    const queues = BullModule.registerQueue(...definitions.map(({ name }) => ({ name })), ...scheduled);
    const workers = role === 'api' ? [] : [BullTaskWorker, ...definitions.map(createTaskProcessor)];
    const parts = backendProviders({ store: RedisTaskStore, backend: BullTaskBackend, clock: BullScheduleClock, events: RedisTaskEvents });
    return {
      module: BullBackendModule,
      imports: [
        AuRedisModule,
        BullModule.forRootAsync({ imports: [AuRedisModule], inject: [AU_OPTIONS, RedisConnections], useFactory: createBullRootOptions }),
        queues,
      ],
      providers: [
        {
          provide: AU_QUEUES,
          useFactory: (...all: Queue[]): TaskQueues => new Map(definitions.map(({ name }, i) => [name, all[i]])),
          inject: definitions.map(({ name }) => getQueueToken(name)),
        },
        RedisTaskWriter,
        FinishMessages,
        ...parts.providers,
        ...workers,
      ],
      exports: [...parts.exports, queues],
    };
  }
}
