import { randomUUID } from 'node:crypto';
import type { TaskPage, TaskQuery, TaskRecord } from '../core/task-record';

/** What `waitForOutcome` answers: a completed task's result, or the record (failed, cancelled or unfinished). */
export type TaskOutcome = { completed: true; result: unknown } | { completed: false; record: TaskRecord };

export function outcomeOf(record: TaskRecord): TaskOutcome {
  return record.status === 'completed' ? { completed: true, result: record.result } : { completed: false, record };
}

/**
 * Where `TaskService` finds task records: what it needs and nothing more. Each backend provides its own (the memory
 * backend keeps whole records; the Bull backend reads the task's Bull job) and writes the changes
 * of a task's life itself. Finished records expire `ttlSeconds` after they finish.
 */
export abstract class TaskStore {
  /** A new task id (a UUIDv4); a store may make ids that it can find again faster. */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the task is for stores that use it
  newId(_task: string): string {
    return randomUUID();
  }

  /** Stores a new (pending) record: at once (nothing to wait for), or with a promise of when it is stored. */
  abstract create(record: TaskRecord, ttlSeconds: number): void | Promise<void>;
  abstract get(id: string): Promise<TaskRecord | undefined>;
  /** Newest first, filtered, paginated. Throws `InvalidCursorError` on a cursor it did not make. */
  abstract list(query: TaskQuery): Promise<TaskPage>;
  /** The record once finished, or as it is after `timeoutMs`; undefined if unknown. Never busy-polls. */
  abstract waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord | undefined>;

  /**
   * `waitForFinish` for callers that want the result (`TaskHandle.result()`): a store may answer a completed task
   * from the message that announced it, without reading the record again.
   */
  async waitForOutcome(id: string, timeoutMs: number): Promise<TaskOutcome | undefined> {
    const record = await this.waitForFinish(id, timeoutMs);
    return record && outcomeOf(record);
  }
}
