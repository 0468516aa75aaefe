import type { TaskPage, TaskQuery, TaskRecord } from './task-record';

/** What `waitForOutcome` answers: a completed task's result, or the record (failed, cancelled or unfinished). */
export type TaskOutcome = { completed: true; result: unknown } | { completed: false; record: TaskRecord };

export function outcomeOf(record: TaskRecord): TaskOutcome {
  return record.status === 'completed' ? { completed: true, result: record.result } : { completed: false, record };
}

/**
 * Where task records live. The in-memory store keeps whole records; the Redis store keeps what Bull's job does not
 * already hold. Finished records expire `ttlSeconds` after they finish.
 */
export abstract class TaskStore {
  /** Stores a new (pending) record. */
  abstract create(record: TaskRecord, ttlSeconds: number): Promise<void>;
  abstract get(id: string): Promise<TaskRecord | undefined>;
  /** Applies `patch`; a finished status starts the TTL and wakes `waitForFinish` callers. */
  abstract update(id: string, patch: Partial<TaskRecord>): Promise<TaskRecord | undefined>;
  /** Newest first, filtered, paginated. Throws `InvalidCursorException` on a cursor it did not make. */
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
