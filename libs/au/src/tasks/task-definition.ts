import type { AsyncTaskOptions, TaskBackoff, TaskOutput } from './async-task.options';

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
}

export type { AsyncTaskOptions };

/** Seconds a finished task's record is kept: its own `ttlSeconds`, else the module's `resultTtlSeconds`. */
export function ttlSecondsOf(definition: Pick<TaskDefinition, 'ttlSeconds'> | undefined, resultTtlSeconds: number): number {
  return definition?.ttlSeconds ?? resultTtlSeconds;
}
