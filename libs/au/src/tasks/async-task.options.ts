import type { TaskSchedule } from './task-schedule';

/** Retry delay: `delayMs * factor^(attempt-1)`, with up to `jitter` (0..1) of it randomised. */
export interface TaskBackoff {
  delayMs: number;
  factor?: number;
  jitter?: number;
}

/**
 * What a task returns, for the OpenAPI document: a class (with `@ApiProperty()` members), `String`, `Number`,
 * `Boolean`, a one-element array of one of those for a list (`[ReportDto]`), or `null` for a task that returns
 * nothing. The `?wait=` answer of the task's submit operation then types `result` as this (or null, when the task did
 * not complete).
 */
export type TaskOutput = Function | [Function] | null;

/** Options of `@AsyncTask()`. */
export interface AsyncTaskOptions {
  /** Route and registry name. Default: the method name in kebab-case. */
  name?: string;
  /** Input class (class-validator DTO). Default: the method's first parameter type. */
  input?: Function;
  /** What the task returns, for the OpenAPI document only (see TaskOutput). Default: any JSON value. */
  output?: TaskOutput;
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
   * Method decorators for this task's `POST /tasks/{name}` route (`UseGuards`, `UseInterceptors`, `SetMetadata`,
   * `ApiBearerAuth`, throttling), after those `forRoot({ http: { decorators } })` puts on every au route.
   */
  decorators?: MethodDecorator[];
  /**
   * Repeats the task: `{ cron, tz?, input? }` or `{ every: ms, input? }`. Each tick submits one ordinary task, once
   * however many workers run; a bad cron expression fails startup.
   */
  schedule?: TaskSchedule;
}
