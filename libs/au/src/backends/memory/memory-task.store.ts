import { Injectable } from '@nestjs/common';
import type { TaskPage, TaskQuery, TaskRecord } from '../../core/task-record';
import type { ClaimAnswer, IdempotencyClaim } from '../../tasks/idempotency-key';
import { TaskStore } from '../../tasks/task.store';
import { MemoryIdempotencyKeys } from './memory-idempotency';
import { MemoryRecords } from './memory-records';

/** `TaskStore` over the memory backend's records. */
@Injectable()
export class MemoryTaskStore extends TaskStore {
  private readonly keys: MemoryIdempotencyKeys;

  constructor(private readonly records: MemoryRecords) {
    super();
    this.keys = new MemoryIdempotencyKeys(records);
  }

  async create(record: TaskRecord, ttlSeconds: number): Promise<void> {
    this.records.create(record, ttlSeconds);
  }

  async createOnce(record: TaskRecord, ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer> {
    return this.keys.createOnce(record, claim, () => this.records.create(record, ttlSeconds));
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
