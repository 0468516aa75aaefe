import type { TaskRecord } from '../storage/task-record';
import type { RegisteredTask } from '../tasks/task.registry';

/**
 * Executes tasks. `enqueue` runs after the record was created in the store; the backend then moves the task through
 * running to a finished status. Implementations: in-memory (in-process) and Bull (Redis queues, one per task).
 */
export abstract class TaskBackend {
  abstract enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<void>;
  /**
   * Cancels a task that is not finished: a pending one never runs, a running one has its signal aborted. Resolves
   * with the record as it is afterwards (`cancelled`), or the finished record if it ended first.
   */
  abstract cancel(record: TaskRecord): Promise<TaskRecord>;
}
