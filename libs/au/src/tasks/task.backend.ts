import type { TaskRecord } from '../core/task-record';
import type { ClaimAnswer, IdempotencyClaim } from './idempotency-key';
import type { RegisteredTask } from './task.registry';

/** Jobs of one task in one state (`waiting`, `active`, `delayed`, `completed`, `failed`, ...). */
export interface QueueCount {
  task: string;
  state: string;
  count: number;
}

/** Whether the backend can take and run work now, with details for health checks. */
export interface BackendReadiness {
  ok: boolean;
  details: Record<string, unknown>;
}

/**
 * Executes tasks. `enqueue` runs once the record is in the backend's store; the backend hands each attempt to the
 * runner and records how it ended. Implementations: in-memory (in-process) and Bull (Redis queues, one per task).
 */
export abstract class TaskBackend {
  /** Resolves once the backend holds the task (its value is not used). */
  abstract enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<unknown>;
  /**
   * Stores the record and queues the task unless the claim's idempotency key is held by a task that is still kept;
   * decided atomically, so of concurrent claims (in any process) exactly one creates its task, which then holds the
   * key as long as its record is kept. Nothing is held when it fails.
   */
  abstract enqueueOnce(task: RegisteredTask, record: TaskRecord, input: unknown, ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer>;
  /**
   * Cancels a task that is not finished: a pending one never runs, a running one has its signal aborted. Resolves
   * with the record as it is afterwards (`cancelled`), or the finished record if it ended first.
   */
  abstract cancel(record: TaskRecord): Promise<TaskRecord>;
  /**
   * Queues a failed or cancelled task again with the same id and input: `pending`, `maxAttempts` = the attempts made
   * plus the task's `attempts`. Resolves with the record as it is then; throws `TaskNotRetryableException` when the
   * task is no longer failed or cancelled (retried meanwhile).
   */
  abstract retry(task: RegisteredTask, record: TaskRecord): Promise<TaskRecord>;
  /** Current job counts per task and state, read when metrics are scraped. */
  abstract queueCounts(): Promise<QueueCount[]>;
  /** Readiness for health checks; must answer within about a second. */
  abstract readiness(): Promise<BackendReadiness>;
}
