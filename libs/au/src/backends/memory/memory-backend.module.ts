import { DynamicModule, Module } from '@nestjs/common';
import { TaskBackend } from '../../tasks/task.backend';
import { TaskStore } from '../../tasks/task.store';
import { MemoryRecords } from './memory-records';
import { MemoryTaskBackend } from './memory-task.backend';
import { MemoryTaskStore } from './memory-task.store';
import { MemoryTaskEvents } from './memory-task.events';
import { TaskEventSource } from '../../tasks/task-events';

/** The in-memory backend: tasks run in this process, records live in its memory. No server needed. */
@Module({})
export class MemoryBackendModule {
  static register(): DynamicModule {
    return {
      module: MemoryBackendModule,
      providers: [
        MemoryRecords,
        { provide: TaskStore, useClass: MemoryTaskStore },
        { provide: TaskBackend, useClass: MemoryTaskBackend },
        MemoryTaskEvents,
        { provide: TaskEventSource, useExisting: MemoryTaskEvents },
      ],
      exports: [TaskStore, TaskBackend, TaskEventSource],
    };
  }
}
