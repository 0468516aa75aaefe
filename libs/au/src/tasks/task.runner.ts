import { Injectable } from '@nestjs/common';
import { ClsServiceManager, CLS_ID } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../core/au.constants';
import { backoffDelay, TaskCancelledError, TaskTimeoutError } from '../core/task-errors';
import { TaskError, toTaskError } from '../core/task-record';
import type { TaskAbort } from './task-abort';
import type { TaskContext } from './task-context';
import { TaskHooks, TaskRunEvent } from './task-hooks';
import type { RegisteredTask } from './task.registry';
import { RunSpan, TraceCarrier } from './task-tracing';

/** Why `ctx.signal` aborts once the attempt is over; its Error is only made if the task ever reads the signal. */
const FINISHED = Symbol('finished');

/** One attempt as a backend hands it over: which task and attempt, and the input. */
export interface AttemptJob extends TaskRunEvent {
  maxAttempts: number;
  input: unknown;
  owner?: string;
  /** Trace context of the submit span (W3C), the parent of the attempt's run span. */
  trace?: TraceCarrier;
}

/** How the backend takes part in an attempt. */
export interface AttemptControl {
  /** Aborted by the backend: with a TaskCancelledError on cancel, or another error (shutdown) that fails the attempt. */
  readonly cancel: TaskAbort;
  /** Stores a progress value of the task. */
  progress(value: unknown): Promise<void>;
  /** Whether a failed attempt may still be retried (not while shutting down, say). Default: yes. */
  mayRetry?(): boolean;
}

/** How an attempt ended, for the backend to record; every hook has been called by then. */
export type AttemptOutcome =
  | { status: 'completed'; result: unknown }
  | { status: 'retrying'; error: unknown; taskError: TaskError; delayMs: number }
  | { status: 'failed' | 'cancelled'; error: unknown; taskError: TaskError };

/**
 * The one owner of an attempt's life, for every backend: runs it inside a CLS context carrying the request id, with a
 * signal that aborts on cancel or timeout, maps how it ended (completed, retrying, failed, cancelled, timed out) and
 * calls the lifecycle hooks, `onCancel` included. Backends queue work, hand each attempt over and record the outcome.
 */
@Injectable()
export class TaskRunner {
  constructor(private readonly hooks: TaskHooks) {}

  /** Runs one attempt; never rejects. */
  run(task: RegisteredTask, job: AttemptJob, control: AttemptControl): Promise<AttemptOutcome> {
    const cls = ClsServiceManager.getClsService();
    // A fresh context whether or not one is active (what `run({ ifNested: 'override' })` does, without its options).
    return cls.runWith({}, () => {
      if (job.requestId) {
        cls.set(CLS_ID, job.requestId);
        cls.set(AU_CLS_REQUEST_ID, job.requestId);
      }
      cls.set(AU_CLS_TASK, { id: job.id, task: job.task, parentId: job.parentId, attempt: job.attempt, owner: job.owner });
      const span = new RunSpan(job);
      return span.with(() => new Attempt(task, job, control, this.hooks, span).start());
    });
  }

  /** A task cancelled while no attempt of it ran (pending, or waiting to be retried): never runs again. */
  cancelledBeforeRun(task: { id: string; task: string }): void {
    this.hooks.emit('onCancel', { id: task.id, task: task.task, wasRunning: false });
  }
}

/**
 * One attempt, which is also the `TaskContext` task code gets: settled once by whichever comes first, the task's own
 * result, a cancel or the timeout; a task cancelled before it starts is not called at all. State lives in fields, and
 * `ctx.signal` is made only when task code first reads it: most tasks never do, and an AbortController is not free.
 */
class Attempt implements TaskContext {
  readonly id: string;
  readonly task: string;
  readonly attempt: number;
  readonly requestId?: string;
  readonly parentId?: string;
  readonly #registered: RegisteredTask;
  readonly #job: AttemptJob;
  readonly #control: AttemptControl;
  readonly #hooks: TaskHooks;
  readonly #event: TaskRunEvent;
  /** The task's owner (read by task code, carried to the tasks it submits through the CLS context). */
  readonly owner?: string;
  readonly #span: RunSpan;
  #started = 0;
  #settled = false;
  #timer?: NodeJS.Timeout;
  #controller?: AbortController;
  /** Why the attempt stopped (cancel, timeout, FINISHED), for a signal made later. */
  #stopReason: unknown;
  #resolve!: (outcome: AttemptOutcome) => void;

  constructor(registered: RegisteredTask, job: AttemptJob, control: AttemptControl, hooks: TaskHooks, span: RunSpan) {
    this.id = job.id;
    this.task = job.task;
    this.attempt = job.attempt;
    this.requestId = job.requestId;
    this.parentId = job.parentId;
    this.owner = job.owner;
    this.#registered = registered;
    this.#job = job;
    this.#control = control;
    this.#hooks = hooks;
    this.#span = span;
    this.#event = { id: job.id, task: job.task, attempt: job.attempt, requestId: job.requestId, parentId: job.parentId, createdAt: job.createdAt };
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#stopReason !== undefined) this.#abortSignal();
    }
    return this.#controller.signal;
  }

  progress(percent: number): Promise<void> {
    if (typeof percent !== 'number' || Number.isNaN(percent)) {
      return Promise.reject(new TypeError(`ctx.progress() takes a percentage from 0 to 100, not ${String(percent).slice(0, 40)}`));
    }
    return this.#control.progress(Math.min(100, Math.max(0, percent)));
  }

  start(): Promise<AttemptOutcome> {
    const settled = new Promise<AttemptOutcome>((resolve) => (this.#resolve = resolve));
    this.#hooks.emit('beforeRun', this.#event);
    this.#started = performance.now();
    // The backend's reason: TaskCancelledError for a cancel, another error for e.g. a shutdown abort.
    this.#control.cancel.onAbort((reason) => this.#stopWith(reason instanceof Error ? reason : new TaskCancelledError()));
    if (this.#settled) return settled;
    const { timeoutMs } = this.#registered.definition;
    if (timeoutMs) this.#timer = setTimeout(() => this.#stopWith(new TaskTimeoutError(timeoutMs)), timeoutMs);
    try {
      const pending = this.#registered.handler(this.#job.input, this);
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
    const { id, task, attempt, requestId, parentId, createdAt } = this.#event;
    this.#hooks.emit('afterRun', { id, task, attempt, requestId, parentId, createdAt, result, durationMs: performance.now() - this.#started });
    this.#end();
    this.#settle({ status: 'completed', result: result ?? null });
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    const taskError = toTaskError(error);
    if (error instanceof TaskCancelledError) {
      this.#hooks.emit('onCancel', { id: this.id, task: this.task, wasRunning: true });
      this.#end();
      this.#settle({ status: 'cancelled', error, taskError });
      return;
    }
    const { id, task, attempt, requestId, parentId, createdAt } = this.#event;
    const willRetry = attempt < this.#job.maxAttempts && this.#control.mayRetry?.() !== false;
    const durationMs = performance.now() - this.#started;
    this.#hooks.emit('onError', { id, task, attempt, requestId, parentId, createdAt, error: taskError, durationMs, willRetry });
    this.#end();
    if (willRetry) {
      this.#settle({ status: 'retrying', error, taskError, delayMs: backoffDelay(this.#registered.definition.backoff, attempt) });
    } else {
      this.#settle({ status: 'failed', error, taskError });
    }
  }

  /** Ends the run span with the outcome, then hands the outcome over. */
  #settle(outcome: AttemptOutcome): void {
    this.#span.end(outcome);
    this.#resolve(outcome);
  }

  #stopWith(error: Error): void {
    this.#stop(error);
    this.#fail(error);
  }

  #end(): void {
    this.#settled = true;
    // The abort no longer holds the finished attempt for whoever still points at it.
    this.#control.cancel.removeListener();
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
