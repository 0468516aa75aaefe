import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AU_OPTIONS } from '../au.constants';
import type { ResolvedAuOptions } from '../au.options';
import { backoffDelay, TaskCancelledError } from '../common/task-errors';
import { MemoryTaskStore } from '../storage/memory-task.store';
import { isFinished, TaskRecord, toTaskError } from '../storage/task-record';
import { TaskHooks } from '../tasks/task-hooks';
import { TaskAbort } from '../tasks/task-abort';
import { TaskRunner } from '../tasks/task.runner';
import type { RegisteredTask } from '../tasks/task.registry';
import { JobQueue } from './job-queue';
import { BackendReadiness, QueueCount, TaskBackend } from './task.backend';

interface Job {
  task: RegisteredTask;
  record: TaskRecord;
  input: unknown;
}

interface Lane {
  queue: JobQueue<Job>;
  running: number;
  concurrency: number;
}

/**
 * Runs tasks in this process: one FIFO lane per task with the task's concurrency, retries with backoff, timeouts and
 * cancellation through the runner. Shutdown stops taking work and waits (bounded) for running tasks.
 */
@Injectable()
export class MemoryTaskBackend extends TaskBackend implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MemoryTaskBackend.name);
  private readonly lanes = new Map<string, Lane>();
  private readonly running = new Map<string, TaskAbort>();
  private readonly retryTimers = new Map<string, { timer: NodeJS.Timeout; job: Job }>();
  private closing = false;
  private idle?: () => void;

  constructor(
    private readonly store: MemoryTaskStore,
    private readonly runner: TaskRunner,
    private readonly hooks: TaskHooks,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {
    super();
  }

  async enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<void> {
    // The job follows the stored record, so a cancel while it waits is seen when it is reached.
    this.push({ task, record: this.store.peek(record.id) ?? record, input });
  }

  async cancel(record: TaskRecord): Promise<TaskRecord> {
    const abort = this.running.get(record.id);
    if (abort) {
      abort.abort(new TaskCancelledError());
      return (await this.store.waitForFinish(record.id, this.options.shutdownTimeoutMs)) ?? record;
    }
    const retry = this.retryTimers.get(record.id);
    if (retry) {
      clearTimeout(retry.timer);
      this.retryTimers.delete(record.id);
    }
    // A pending job stays in its lane and is skipped when reached: cheaper than searching the queue.
    const now = Date.now();
    const cancelled = this.store.patch(record.id, { status: 'cancelled', finishedAt: now }) ?? record;
    this.hooks.emit('onCancel', { id: record.id, task: record.task, wasRunning: false });
    return cancelled;
  }

  async queueCounts(): Promise<QueueCount[]> {
    return [...this.lanes].flatMap(([task, lane]) => [
      { task, state: 'waiting', count: lane.queue.length },
      { task, state: 'active', count: lane.running },
    ]);
  }

  async readiness(): Promise<BackendReadiness> {
    return { ok: !this.closing, details: { backend: 'memory', running: this.running.size, closing: this.closing } };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const { timer } of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.running.size === 0) return;
    this.logger.log(`Waiting for ${this.running.size} running task(s) to finish`);
    const drained = new Promise<void>((resolve) => (this.idle = resolve));
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs).unref(),
    );
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      this.logger.warn(`${this.running.size} task(s) still running after ${this.options.shutdownTimeoutMs} ms; aborting them`);
      const reason = new Error(`Shutting down: aborted after waiting ${this.options.shutdownTimeoutMs} ms`);
      for (const abort of this.running.values()) abort.abort(reason);
    }
  }

  private lane(task: RegisteredTask): Lane {
    const { name, concurrency } = task.definition;
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = { queue: new JobQueue<Job>(), running: 0, concurrency }));
    return lane;
  }

  private push(job: Job): void {
    const lane = this.lane(job.task);
    lane.queue.push(job);
    this.drain(lane);
  }

  private drain(lane: Lane): void {
    while (!this.closing && lane.running < lane.concurrency) {
      const job = lane.queue.shift();
      if (!job) return;
      if (job.record.status !== 'pending') continue; // cancelled while waiting
      lane.running++;
      void this.execute(job).finally(() => {
        lane.running--;
        if (this.running.size === 0) this.idle?.();
        this.drain(lane);
      });
    }
  }

  private async execute(job: Job): Promise<void> {
    const { record, task } = job;
    const abort = new TaskAbort();
    this.running.set(record.id, abort);
    const attempt = record.attempts + 1;
    const now = Date.now();
    this.store.patch(record.id, { status: 'running', attempts: attempt, startedAt: now });
    const willRetry = attempt < task.definition.attempts;
    try {
      const result = await this.runner.run(task, {
        id: record.id,
        task: record.task,
        attempt,
        requestId: record.requestId,
        parentId: record.parentId,
        createdAt: record.createdAt,
        input: job.input,
        cancel: abort,
        willRetryOnFailure: willRetry,
        progress: async (value) => void this.store.patch(record.id, { progress: value }),
      });
      this.store.patch(record.id, { status: 'completed', result, error: undefined, finishedAt: Date.now() });
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        this.store.patch(record.id, { status: 'cancelled', error: toTaskError(error), finishedAt: Date.now() });
        this.hooks.emit('onCancel', { id: record.id, task: record.task, wasRunning: true });
      } else if (willRetry && !this.closing) {
        this.store.patch(record.id, { status: 'pending', error: toTaskError(error) });
        const timer = setTimeout(() => {
          this.retryTimers.delete(record.id);
          if (!isFinished(record.status)) this.push(job);
        }, backoffDelay(task.definition.backoff, attempt));
        this.retryTimers.set(record.id, { timer, job });
      } else {
        this.store.patch(record.id, { status: 'failed', error: toTaskError(error), finishedAt: Date.now() });
      }
    } finally {
      this.running.delete(record.id);
    }
  }
}
