import { DynamicModule, Module } from '@nestjs/common';
import { backendProviders } from '../../tasks/backend-parts';
import { MemoryRecords } from './memory-records';
import { MemoryScheduleClock } from './memory-schedule.clock';
import { MemoryTaskBackend } from './memory-task.backend';
import { MemoryTaskEvents } from './memory-task.events';
import { MemoryTaskStore } from './memory-task.store';

/** The in-memory backend: tasks run in this process, records live in its memory. No server needed. */
@Module({})
export class MemoryBackendModule {
  static register(): DynamicModule {
    const parts = backendProviders({ store: MemoryTaskStore, backend: MemoryTaskBackend, clock: MemoryScheduleClock, events: MemoryTaskEvents });
    return { module: MemoryBackendModule, providers: [MemoryRecords, ...parts.providers], exports: parts.exports };
  }
}
