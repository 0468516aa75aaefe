import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedAuOptions } from '../../core/au.options';
import { AU_OPTIONS } from '../../core/au.tokens';
import { TaskCancelledError } from '../../core/task-errors';
import { isFinished, TaskRecord } from '../../core/task-record';
import { TIMED_OUT, within } from '../../core/within';
import { TaskAbort } from '../../tasks/task-abort';
import { BackendReadiness, QueueCount, TaskBackend } from '../../tasks/task.backend';
import type { RegisteredTask } from '../../tasks/task.registry';
import { AttemptControl, AttemptOutcome, TaskRunner } from '../../tasks/task.runner';
import { traceCarrier, TraceCarrier } from '../../tasks/task-tracing';
import { JobQueue } from './job-queue';
import { MemoryRecords } from './memory-records';
import { MemoryTaskEvents } from './memory-task.events';

/** A queued task: its live record (so a cancel while it waits is seen when it is reached) and its input. */
interface Job {
  task: RegisteredTask;
  record: TaskRecord;
  input: unknown;
  /** The submit span's trace context, for the run spans. */
  trace?: TraceCarrier;
}

interface Lane {
  queue: JobQueue<Job>;
  running: number;
  concurrency: number;
}

/**
 * Runs tasks in this process: one FIFO lane per task with the task's concurrency; each attempt goes to the runner, and
 * its outcome to the records (a retry waits out its backoff on a timer). Shutdown stops taking work and waits
 * (bounded) for running tasks.
 */
@Injectable()
export class MemoryTaskBackend extends TaskBackend implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MemoryTaskBackend.name);
  private readonly lanes = new Map<string, Lane>();
  private readonly running = new Map<string, TaskAbort>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private closing = false;
  private idle?: () => void;
  /** Retries wait for a timer: none once shutdown began. */
  private readonly mayRetry = () => !this.closing;

  constructor(
    private readonly records: MemoryRecords,
    private readonly runner: TaskRunner,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
    private readonly events: MemoryTaskEvents,
  ) {
    super();
  }

  async enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<void> {
    this.push({ task, record: this.records.get(record.id) ?? record, input, trace: traceCarrier() });
  }

  async cancel(record: TaskRecord): Promise<TaskRecord> {
    const abort = this.running.get(record.id);
    if (abort) {
      abort.abort(new TaskCancelledError());
      return (await this.records.waitForFinish(record.id, this.options.shutdownTimeoutMs)) ?? record;
    }
    const retry = this.retryTimers.get(record.id);
    if (retry) {
      clearTimeout(retry);
      this.retryTimers.delete(record.id);
    }
    // A pending job stays in its lane and is skipped when reached: cheaper than searching the queue.
    const cancelled = this.records.apply(record.id, { status: 'cancelled', finishedAt: Date.now() }) ?? record;
    this.events.ended(record.id);
    this.runner.cancelledBeforeRun(record);
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
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.running.size === 0) return;
    this.logger.log(`Waiting for ${this.running.size} running task(s) to finish`);
    const drained = new Promise<void>((resolve) => (this.idle = resolve));
    if ((await within(drained, this.options.shutdownTimeoutMs)) === TIMED_OUT) {
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
      void this.execute(job).then(() => {
        lane.running--;
        if (this.running.size === 0) this.idle?.();
        this.drain(lane);
      });
    }
  }

  private async execute(job: Job): Promise<void> {
    const { record, task } = job;
    const control = new MemoryAttempt(this.records, this.events, record.id, this.mayRetry);
    this.running.set(record.id, control.cancel);
    const attempt = record.attempts + 1;
    this.records.apply(record.id, { status: 'running', attempts: attempt, startedAt: Date.now() });
    this.events.running(record.id, attempt);
    const outcome = await this.runner.run(
      task,
      {
        id: record.id,
        task: record.task,
        attempt,
        maxAttempts: record.maxAttempts,
        requestId: record.requestId,
        parentId: record.parentId,
        createdAt: record.createdAt,
        input: job.input,
        trace: job.trace,
      },
      control,
    );
    this.running.delete(record.id);
    this.record(job, outcome);
  }

  /** Writes how the attempt ended into the record; a retry is queued again once its backoff has passed. */
  private record(job: Job, outcome: AttemptOutcome): void {
    const { id } = job.record;
    if (outcome.status === 'completed') {
      this.records.apply(id, { status: 'completed', result: outcome.result, error: undefined, finishedAt: Date.now() });
    } else if (outcome.status === 'retrying') {
      this.records.apply(id, { status: 'pending', error: outcome.taskError });
      this.events.retrying(id, job.record.attempts, outcome.taskError, outcome.delayMs);
      const timer = setTimeout(() => {
        this.retryTimers.delete(id);
        if (!isFinished(job.record.status)) this.push(job);
      }, outcome.delayMs);
      this.retryTimers.set(id, timer);
    } else {
      this.records.apply(id, { status: outcome.status, error: outcome.taskError, finishedAt: Date.now() });
    }
    if (outcome.status !== 'retrying') this.events.ended(id);
  }
}

/** The backend's side of one attempt: its abort, where its progress goes, whether it may be retried. */
class MemoryAttempt implements AttemptControl {
  readonly cancel = new TaskAbort();

  constructor(
    private readonly records: MemoryRecords,
    private readonly events: MemoryTaskEvents,
    private readonly id: string,
    readonly mayRetry: () => boolean,
  ) {}

  async progress(value: unknown): Promise<void> {
    this.records.apply(this.id, { progress: value });
    this.events.progress(this.id, value);
  }
}
