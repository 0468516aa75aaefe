import { Injectable } from '@nestjs/common';
import type { TaskPage, TaskQuery, TaskRecord } from '../../core/task-record';
import { TaskStore } from '../../tasks/task.store';
import { MemoryRecords } from './memory-records';

/** `TaskStore` over the memory backend's records. */
@Injectable()
export class MemoryTaskStore extends TaskStore {
  constructor(private readonly records: MemoryRecords) {
    super();
  }

  async create(record: TaskRecord, ttlSeconds: number): Promise<void> {
    this.records.create(record, ttlSeconds);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return this.records.get(id);
  }

  async list(query: TaskQuery): Promise<TaskPage> {
    return this.records.list(query);
  }

  waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord | undefined> {
    return this.records.waitForFinish(id, timeoutMs);
  }
}
