import type { TaskSchedule } from './task-schedule';

/** Retry delay: `delayMs * factor^(attempt-1)`, with up to `jitter` (0..1) of it randomised. */
export interface TaskBackoff {
  delayMs: number;
  factor?: number;
  jitter?: number;
}

/** Options of `@AsyncTask()`. */
export interface AsyncTaskOptions {
  /** Route and registry name. Default: the method name in kebab-case. */
  name?: string;
  /** Input class (class-validator DTO). Default: the method's first parameter type. */
  input?: Function;
  /** Output class, for the OpenAPI document only. */
  output?: Function;
  /** Summary shown in Swagger. */
  description?: string;
  /** Per-attempt time limit; the attempt fails with a timeout error and its signal aborts. */
  timeoutMs?: number;
  /** Total attempts, first one included. Default 1. */
  attempts?: number;
  /** Delay between attempts. Default `{ delayMs: 1000, factor: 2, jitter: 0 }`. */
  backoff?: TaskBackoff;
  /** Seconds this task's finished records are kept. Default: the module's `resultTtlSeconds`. */
  ttlSeconds?: number;
  /** How many runs of this task one process executes at once. Default 1. */
  concurrency?: number;
  /**
   * Repeats the task: `{ cron, tz?, input? }` or `{ every: ms, input? }`. Each tick submits one ordinary task, once
   * however many workers run; a bad cron expression fails startup.
   */
  schedule?: TaskSchedule;
}
