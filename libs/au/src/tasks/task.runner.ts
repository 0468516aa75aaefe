import { Injectable } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { CLS_ID } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../au.constants';
import { TaskCancelledError, TaskTimeoutError } from '../common/task-errors';
import { toTaskError } from '../storage/task-record';
import type { TaskContext } from './task-context';
import { TaskHooks, TaskRunEvent } from './task-hooks';
import type { RegisteredTask } from './task.registry';

/** One attempt to run, as a backend hands it over. */
export interface TaskRun extends TaskRunEvent {
  input: unknown;
  /** Aborted by the backend: with a TaskCancelledError on cancel, or another error (shutdown) that fails the attempt. */
  cancelSignal: AbortSignal;
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

  private async attempt(task: RegisteredTask, run: TaskRun): Promise<unknown> {
    const { timeoutMs } = task.definition;
    const event: TaskRunEvent = {
      id: run.id,
      task: run.task,
      attempt: run.attempt,
      requestId: run.requestId,
      parentId: run.parentId,
      createdAt: run.createdAt,
    };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_, reject) => {
      const onCancel = () => {
        // The backend's reason: TaskCancelledError for a cancel, another error for e.g. a shutdown abort.
        const reason: unknown = run.cancelSignal.reason;
        const error = reason instanceof Error ? reason : new TaskCancelledError();
        controller.abort(error);
        reject(error);
      };
      if (run.cancelSignal.aborted) return onCancel();
      run.cancelSignal.addEventListener('abort', onCancel, { once: true });
      if (timeoutMs) {
        timer = setTimeout(() => {
          const error = new TaskTimeoutError(timeoutMs);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      }
    });
    stopped.catch(() => undefined);
    const ctx: TaskContext = {
      id: run.id,
      task: run.task,
      attempt: run.attempt,
      requestId: run.requestId,
      parentId: run.parentId,
      signal: controller.signal,
      progress: (value) => run.progress(value),
    };
    this.hooks.emit('beforeRun', event);
    const started = performance.now();
    try {
      const result = await Promise.race([Promise.resolve().then(() => task.handler(run.input, ctx)), stopped]);
      this.hooks.emit('afterRun', { ...event, result, durationMs: performance.now() - started });
      return result ?? null;
    } catch (error) {
      const cancelled = error instanceof TaskCancelledError;
      if (!cancelled) {
        this.hooks.emit('onError', {
          ...event,
          error: toTaskError(error),
          durationMs: performance.now() - started,
          willRetry: run.willRetryOnFailure,
        });
      }
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort(new Error('Task attempt finished'));
    }
  }
}
