/** The second argument of every task method. */
export interface TaskContext {
  /** The task id (UUIDv4), also the Bull job id. */
  readonly id: string;
  /** The task name. */
  readonly task: string;
  /** 1 on the first run, 2 on the first retry... */
  readonly attempt: number;
  /** Request id of the HTTP request (or parent task) that submitted this task. */
  readonly requestId?: string;
  /** Id of the task that submitted this one, if any. */
  readonly parentId?: string;
  /** Owner of the task (see `forRoot({ owner })`); tasks it submits inherit it. */
  readonly owner?: string;
  /** Aborted when the task is cancelled or times out. */
  readonly signal: AbortSignal;
  /**
   * Reports progress, a percentage: shown as `progress` on the record. Numbers outside 0..100 are clamped to it;
   * anything but a number (NaN included) rejects with a TypeError and leaves the record as it was.
   */
  progress(percent: number): Promise<void>;
}
