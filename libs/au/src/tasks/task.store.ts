import type { TaskPage, TaskQuery, TaskRecord } from '../core/task-record';
import type { ClaimAnswer, IdempotencyClaim } from './idempotency-key';

/** What `waitForOutcome` answers: a completed task's result, or the record (failed, cancelled or unfinished). */
export type TaskOutcome = { completed: true; result: unknown } | { completed: false; record: TaskRecord };

export function outcomeOf(record: TaskRecord): TaskOutcome {
  return record.status === 'completed' ? { completed: true, result: record.result } : { completed: false, record };
}

/**
 * Where `TaskService` finds task records: what it needs and nothing more. Each backend provides its own (the memory
 * backend keeps whole records; the Bull backend reads Bull's jobs plus a small hash of au's) and writes the changes
 * of a task's life itself. Finished records expire `ttlSeconds` after they finish.
 */
export abstract class TaskStore {
  /** Stores a new (pending) record. */
  abstract create(record: TaskRecord, ttlSeconds: number): Promise<void>;
  /**
   * Stores a new record unless the claim's key is held by a task that is still kept: decided atomically, so of
   * concurrent claims (in any process) exactly one creates its record. The key is then held as long as the record.
   */
  abstract createOnce(record: TaskRecord, ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer>;
  /**
   * Frees a key `createOnce` gave the record `id`, when the task could not be queued after all: a retry with the key
   * then makes a new task rather than answering one that will never run. A store whose queueing cannot fail after the
   * record is written keeps this no-op.
   */
  async releaseClaim(_claim: IdempotencyClaim, _id: string): Promise<void> {}
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
