import type { TaskRecord } from '../storage/task-record';

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
import type { RegisteredTask } from '../tasks/task.registry';

/**
 * Executes tasks. `enqueue` runs after the record was created in the store; the backend then moves the task through
 * running to a finished status. Implementations: in-memory (in-process) and Bull (Redis queues, one per task).
 */
export abstract class TaskBackend {
  /** Resolves once the backend holds the task (its value is not used). */
  abstract enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<unknown>;
  /**
   * Cancels a task that is not finished: a pending one never runs, a running one has its signal aborted. Resolves
   * with the record as it is afterwards (`cancelled`), or the finished record if it ended first.
   */
  abstract cancel(record: TaskRecord): Promise<TaskRecord>;
  /** Current job counts per task and state, read when metrics are scraped. */
  abstract queueCounts(): Promise<QueueCount[]>;
  /** Readiness for health checks; must answer within about a second. */
  abstract readiness(): Promise<BackendReadiness>;
}
