export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const FINISHED_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export function isFinished(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** `{ name, message }` of the error that ended (or last failed) a task. */
export interface TaskError {
  name: string;
  message: string;
}

/** One task as stored; times are epoch milliseconds. */
export interface TaskRecord {
  id: string;
  task: string;
  status: TaskStatus;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  progress: unknown;
  createdAt: number;
  /** Start of the latest attempt. */
  startedAt?: number;
  finishedAt?: number;
  result?: unknown;
  error?: TaskError;
  requestId?: string;
  parentId?: string;
  /** Who submitted it, when the app scopes tasks by owner (`forRoot({ owner })`) or code passed one. */
  owner?: string;
  /** When a delayed task may start (submitted with a delay). */
  runAt?: number;
  /** 1..1000, 1 runs first; unset: after every prioritized task of its name. */
  priority?: number;
  /** Trace id of the submit span (OpenTelemetry), when a tracer was registered. */
  traceId?: string;
}

export interface TaskQuery {
  task?: string;
  status?: TaskStatus;
  requestId?: string;
  /** 1..100. */
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
  /** Only this owner's tasks. */
  owner?: string;
}

export interface TaskPage {
  items: TaskRecord[];
  nextCursor?: string;
}

export function toTaskError(error: unknown): TaskError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}
