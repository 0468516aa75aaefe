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
    // A fresh context whether or not one is active (what `run({ ifNested: 'override' })` does, without its options).
    return cls.runWith({}, () => {
      if (run.requestId) {
        cls.set(CLS_ID, run.requestId);
        cls.set(AU_CLS_REQUEST_ID, run.requestId);
      }
      cls.set(AU_CLS_TASK, { id: run.id, task: run.task, parentId: run.parentId, attempt: run.attempt });
      return new Attempt(run, this.hooks).start(task);
    });
  }
}

/**
 * One attempt, which is also the `TaskContext` task code gets: settled once by whichever comes first, the task's own
 * result, a cancel or the timeout; a task cancelled before it starts is not called at all. One object and one promise
 * per attempt, state in fields rather than closures (profiled in bench/: closures and promises per attempt each cost
 * allocation and, under nestjs-cls, async hooks). `ctx.signal` is made when task code first reads it (most never do):
 * an AbortController per attempt is costly.
 */
class Attempt implements TaskContext {
  readonly id: string;
  readonly task: string;
  readonly attempt: number;
  readonly requestId?: string;
  readonly parentId?: string;
  readonly #run: TaskRun;
  readonly #hooks: TaskHooks;
  readonly #event: TaskRunEvent;
  #started = 0;
  #settled = false;
  #timer?: NodeJS.Timeout;
  #controller?: AbortController;
  /** Why the attempt stopped (cancel, timeout, FINISHED), for a signal made later. */
  #stopReason: unknown;
  #resolve!: (result: unknown) => void;
  #reject!: (error: unknown) => void;

  constructor(run: TaskRun, hooks: TaskHooks) {
    this.id = run.id;
    this.task = run.task;
    this.attempt = run.attempt;
    this.requestId = run.requestId;
    this.parentId = run.parentId;
    this.#run = run;
    this.#hooks = hooks;
    this.#event = { id: run.id, task: run.task, attempt: run.attempt, requestId: run.requestId, parentId: run.parentId, createdAt: run.createdAt };
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#stopReason !== undefined) this.#abortSignal();
    }
    return this.#controller.signal;
  }

  progress(value: unknown): Promise<void> {
    return this.#run.progress(value);
  }

  start(task: RegisteredTask): Promise<unknown> {
    const settled = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#hooks.emit('beforeRun', this.#event);
    this.#started = performance.now();
    // The backend's reason: TaskCancelledError for a cancel, another error for e.g. a shutdown abort.
    this.#run.cancel.onAbort((reason) => this.#stopWith(reason instanceof Error ? reason : new TaskCancelledError()));
    if (this.#settled) return settled;
    const { timeoutMs } = task.definition;
    if (timeoutMs) this.#timer = setTimeout(() => this.#stopWith(new TaskTimeoutError(timeoutMs)), timeoutMs);
    try {
      const pending = task.handler(this.#run.input, this);
      if (typeof (pending as PromiseLike<unknown> | null | undefined)?.then === 'function') {
        (pending as PromiseLike<unknown>).then(
          (result) => this.#succeed(result),
          (error: unknown) => this.#fail(error),
        );
      } else {
        this.#succeed(pending);
      }
    } catch (error) {
      this.#fail(error);
    }
    return settled;
  }

  #succeed(result: unknown): void {
    if (this.#settled) return;
    // The event's fields spelled out here and in #fail: on Node 20 `{ ...event, result }` takes ~3 µs (bench/README.md).
    const { id, task, attempt, requestId, parentId, createdAt } = this.#event;
    this.#hooks.emit('afterRun', { id, task, attempt, requestId, parentId, createdAt, result, durationMs: performance.now() - this.#started });
    this.#end();
    this.#resolve(result ?? null);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    if (!(error instanceof TaskCancelledError)) {
      const durationMs = performance.now() - this.#started;
      const { id, task, attempt, requestId, parentId, createdAt } = this.#event;
      const willRetry = this.#run.willRetryOnFailure;
      this.#hooks.emit('onError', { id, task, attempt, requestId, parentId, createdAt, error: toTaskError(error), durationMs, willRetry });
    }
    this.#end();
    this.#reject(error);
  }

  #stopWith(error: Error): void {
    this.#stop(error);
    this.#fail(error);
  }

  #end(): void {
    this.#settled = true;
    this.#run.cancel.removeListener();
    if (this.#timer) clearTimeout(this.#timer);
    this.#stop(FINISHED);
  }

  /** Records why the attempt stopped (the first reason wins) and aborts a signal already handed out. */
  #stop(reason: unknown): void {
    if (this.#stopReason !== undefined) return;
    this.#stopReason = reason;
    if (this.#controller) this.#abortSignal();
  }

  #abortSignal(): void {
    const reason = this.#stopReason;
    this.#controller!.abort(reason === FINISHED ? new Error('Task attempt finished') : reason);
  }
}
