import { InvalidSubmitOptionError } from '../core/invalid-submit-option.error';

/** The longest delay of a submission: 30 days. */
export const MAX_DELAY_MS = 30 * 24 * 3600 * 1000;
/** Priorities run from 1 (first) to this. */
export const MAX_PRIORITY = 1000;

/** How a submission is to be queued: when it may start and before which others. */
export interface QueueingOptions {
  /** Milliseconds before the task may start (0..30 days); it stays `pending` with `runAt` until then. */
  delayMs?: number;
  /** 1..1000, 1 first: among pending tasks of one name, lower numbers start first (ties: submission order). */
  priority?: number;
}

/** Throws `InvalidSubmitOptionError` (400) for a delay or priority out of range. */
export function checkQueueingOptions({ delayMs, priority }: QueueingOptions): void {
  if (delayMs !== undefined && !(typeof delayMs === 'number' && delayMs >= 0 && delayMs <= MAX_DELAY_MS)) {
    throw new InvalidSubmitOptionError('delayMs', delayMs, `a number of milliseconds from 0 to ${MAX_DELAY_MS}`);
  }
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= MAX_PRIORITY)) {
    throw new InvalidSubmitOptionError('priority', priority, `an integer from 1 (first) to ${MAX_PRIORITY}`);
  }
}
