import type { AsyncTaskOptions, TaskBackoff, TaskOutput } from './async-task.options';
import type { TaskSchedule } from './task-schedule';

/** Everything au knows about one task once its class has been read. */
export interface TaskDefinition {
  name: string;
  /** The class declaring the method, and the method's name. */
  target: Function;
  methodName: string;
  input: Function;
  /** Undefined when the task did not declare it. */
  output?: TaskOutput;
  description?: string;
  timeoutMs?: number;
  attempts: number;
  backoff: Required<TaskBackoff>;
  ttlSeconds?: number;
  concurrency: number;
  /** Method decorators of the task's submit route. */
  decorators?: MethodDecorator[];
  schedule?: TaskSchedule;
}

export type { AsyncTaskOptions };

/** Seconds a finished task's record is kept: its own `ttlSeconds`, else the module's `resultTtlSeconds`. */
export function ttlSecondsOf(definition: Pick<TaskDefinition, 'ttlSeconds'> | undefined, resultTtlSeconds: number): number {
  return definition?.ttlSeconds ?? resultTtlSeconds;
}

/** Failed and cancelled tasks are kept this long unless told (`AU_FAILED_TTL`): they are the dead-letter list. */
export const DEFAULT_FAILED_TTL_SECONDS = 7 * 24 * 3600;

/** Seconds a failed or cancelled task's record is kept: the failed TTL, never less than the task's own TTL. */
export function failedTtlSecondsOf(
  definition: Pick<TaskDefinition, 'ttlSeconds'> | undefined,
  options: { resultTtlSeconds: number; failedTtlSeconds?: number },
): number {
  return Math.max(ttlSecondsOf(definition, options.resultTtlSeconds), options.failedTtlSeconds ?? DEFAULT_FAILED_TTL_SECONDS);
}
