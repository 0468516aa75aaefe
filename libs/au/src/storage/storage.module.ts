import { DynamicModule, Module } from '@nestjs/common';
import type { AuBackendKind } from '../au.options';
import { MemoryTaskStore } from './memory-task.store';
import { RedisConnections } from './redis.connections';
import { redisProviders } from './redis.providers';
import { AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER } from './redis.tokens';
import { RedisTaskStore } from './redis-task.store';
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
    return {
      module: StorageModule,
      providers: [...redisProviders, RedisTaskStore, { provide: TaskStore, useExisting: RedisTaskStore }],
      exports: [TaskStore, RedisTaskStore, RedisConnections, AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER],
    };
  }
}
