import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ResolvedAuOptions } from '../../core/au.options';
import { AU_OPTIONS } from '../../core/au.tokens';
import type { TaskPage, TaskQuery, TaskRecord } from '../../core/task-record';
import { failedTtlSecondsOf } from '../../tasks/task-definition';
import { TaskStore } from '../../tasks/task.store';
import { MemoryRecords } from './memory-records';

/** `TaskStore` over the memory backend's records. */
@Injectable()
export class MemoryTaskStore extends TaskStore {
  constructor(
    private readonly records: MemoryRecords,
    @Optional() @Inject(AU_OPTIONS) private readonly options?: ResolvedAuOptions,
  ) {
    super();
  }

  /** Failed and cancelled records are kept the failed TTL (without options, as long as completed ones). */
  create(record: TaskRecord, ttlSeconds: number): void {
    const failedTtl = this.options ? failedTtlSecondsOf({ ttlSeconds }, this.options) : ttlSeconds;
    this.records.create(record, ttlSeconds, failedTtl);
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
