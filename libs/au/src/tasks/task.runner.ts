import { Injectable } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { CLS_ID } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../au.constants';
import { TaskCancelledError, TaskTimeoutError } from '../common/task-errors';
import { toTaskError } from '../storage/task-record';
import type { TaskContext } from './task-context';
import { TaskHooks, TaskRunEvent } from './task-hooks';
import type { RegisteredTask } from './task.registry';
import type { TaskAbort } from './task-abort';

/** Why `ctx.signal` aborts once the attempt is over; its Error is only made if the task ever reads the signal. */
const FINISHED = Symbol('finished');

/** One attempt to run, as a backend hands it over. */
export interface TaskRun extends TaskRunEvent {
  input: unknown;
  /** Aborted by the backend: with a TaskCancelledError on cancel, or another error (shutdown) that fails the attempt. */
  cancel: TaskAbort;
  willRetryOnFailure: boolean;
  progress(value: unknown): Promise<void>;
}

/**
 * Runs one attempt of a task for any backend: inside a CLS context carrying the request id, with a signal that aborts
 * on cancel or timeout, and with the lifecycle hooks around it. Resolves with the result or rejects with the error.
 */
@Injectable()
export class TaskRunner {
  constructor(private readonly hooks: TaskHooks) {}

  run(task: RegisteredTask, run: TaskRun): Promise<unknown> {
    const cls = ClsServiceManager.getClsService();
    return cls.run({ ifNested: 'override' }, () => {
      if (run.requestId) {
        cls.set(CLS_ID, run.requestId);
        cls.set(AU_CLS_REQUEST_ID, run.requestId);
      }
      cls.set(AU_CLS_TASK, { id: run.id, task: run.task, parentId: run.parentId, attempt: run.attempt });
      return this.attempt(task, run);
    });
  }

  /**
   * One promise per attempt, settled by whichever comes first: the task's own result, a cancel, or the timeout. (An
   * async function racing a `stopped` promise made five promises per attempt, each paying for async hooks once
   * nestjs-cls is active.) A task cancelled before it starts is not called at all.
   */
  private attempt(task: RegisteredTask, run: TaskRun): Promise<unknown> {
    const { timeoutMs } = task.definition;
    const event: TaskRunEvent = {
      id: run.id,
      task: run.task,
      attempt: run.attempt,
      requestId: run.requestId,
      parentId: run.parentId,
      createdAt: run.createdAt,
    };
    // ctx.signal is made when the task first reads it (most never do): an AbortController per attempt is costly.
    // `stop` records why the attempt stopped (cancel, timeout, finished) for a signal made later.
    let controller: AbortController | undefined;
    let stopReason: unknown;
    const abortWith = (reason: unknown) => controller!.abort(reason === FINISHED ? new Error('Task attempt finished') : reason);
    const stop = (reason: unknown) => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      if (controller) abortWith(reason);
    };
    const signal = (): AbortSignal => {
      if (!controller) {
        controller = new AbortController();
        if (stopReason !== undefined) abortWith(stopReason);
      }
      return controller.signal;
    };
    const ctx: TaskContext = {
      id: run.id,
      task: run.task,
      attempt: run.attempt,
      requestId: run.requestId,
      parentId: run.parentId,
      get signal() {
        return signal();
      },
      progress: (value) => run.progress(value),
    };
    this.hooks.emit('beforeRun', event);
    const started = performance.now();
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const end = () => {
        settled = true;
        if (timer) clearTimeout(timer);
        stop(FINISHED);
      };
      const succeed = (result: unknown) => {
        if (settled) return;
        this.hooks.emit('afterRun', { ...event, result, durationMs: performance.now() - started });
        end();
        resolve(result ?? null);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        if (!(error instanceof TaskCancelledError)) {
          this.hooks.emit('onError', {
            ...event,
            error: toTaskError(error),
            durationMs: performance.now() - started,
            willRetry: run.willRetryOnFailure,
          });
        }
        end();
        reject(error);
      };
      // The backend's reason: TaskCancelledError for a cancel, another error for e.g. a shutdown abort.
      const stopWith = (error: Error) => {
        stop(error);
        fail(error);
      };
      run.cancel.onAbort((reason) => stopWith(reason instanceof Error ? reason : new TaskCancelledError()));
      if (settled) return;
      if (timeoutMs) timer = setTimeout(() => stopWith(new TaskTimeoutError(timeoutMs)), timeoutMs);
      try {
        const pending = task.handler(run.input, ctx);
        if (typeof (pending as PromiseLike<unknown> | null | undefined)?.then === 'function') {
          (pending as PromiseLike<unknown>).then(succeed, fail);
        } else {
          succeed(pending);
        }
      } catch (error) {
        fail(error);
      }
    });
  }
}
