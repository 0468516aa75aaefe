import type { TaskRecord, TaskStatus } from '../core/task-record';
import type { TaskOutcome } from './task.store';

/** What a handle asks of `TaskService`. */
export interface TaskHandleSource {
  getOrThrow(id: string): Promise<TaskRecord>;
  waitForOutcome(id: string, timeoutMs: number): Promise<TaskOutcome>;
  cancel(id: string): Promise<TaskRecord>;
  retry(id: string): Promise<TaskRecord>;
}

/** The task ended without a result (failed or cancelled); `record` says how. */
export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(readonly record: TaskRecord) {
    super(`Task ${record.id} (${record.task}) ${record.status}: ${record.error?.message ?? 'no result'}`);
  }
}

/** `result({ timeoutMs })` ran out of time before the task finished. */
export class TaskResultTimeoutError extends Error {
  override name = 'TaskResultTimeoutError';
  constructor(readonly record: TaskRecord, timeoutMs: number) {
    super(`Task ${record.id} (${record.task}) still ${record.status} after ${timeoutMs} ms`);
  }
}

/** A handle on a submitted task (au's ComputationHandle): status, result with a timeout, cancel. */
export class TaskHandle<T = unknown> {
  constructor(
    private readonly tasks: TaskHandleSource,
    readonly id: string,
    readonly task: string,
  ) {}

  /** The current record. */
  record(): Promise<TaskRecord> {
    return this.tasks.getOrThrow(this.id);
  }

  async status(): Promise<TaskStatus> {
    return (await this.record()).status;
  }

  /**
   * Waits for the result. Rejects with `TaskFailedError` if the task failed or was cancelled, and with
   * `TaskResultTimeoutError` if it is still unfinished after `timeoutMs` (default 30 s).
   */
  result({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<T> {
    return this.tasks.waitForOutcome(this.id, timeoutMs).then((outcome) => {
      if (outcome.completed) return outcome.result as T;
      const { record } = outcome;
      if (record.status === 'failed' || record.status === 'cancelled') throw new TaskFailedError(record);
      throw new TaskResultTimeoutError(record, timeoutMs);
    });
  }

  cancel(): Promise<TaskRecord> {
    return this.tasks.cancel(this.id);
  }

  /** Runs the task again if it failed or was cancelled (same id and input; attempts go on); else rejects with a 409. */
  retry(): Promise<TaskRecord> {
    return this.tasks.retry(this.id);
  }
}
