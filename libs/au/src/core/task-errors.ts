/** The attempt ran past the task's `timeoutMs`. */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(timeoutMs: number) {
    super(`Task timed out after ${timeoutMs} ms`);
  }
}

/** The task was cancelled while running. */
export class TaskCancelledError extends Error {
  override name = 'TaskCancelledError';
  constructor() {
    super('Task was cancelled');
  }
}

/** Delay before attempt `attempt + 1`, given the attempt that just failed (1-based). */
export function backoffDelay(backoff: { delayMs: number; factor: number; jitter: number }, attempt: number): number {
  const base = backoff.delayMs * Math.pow(backoff.factor, attempt - 1);
  const jitter = backoff.jitter > 0 ? base * backoff.jitter * Math.random() : 0;
  return Math.round(base - jitter);
}
