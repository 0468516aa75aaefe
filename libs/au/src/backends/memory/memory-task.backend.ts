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
import type { ClaimAnswer, IdempotencyClaim } from '../../tasks/idempotency-key';
import { MemoryIdempotencyKeys } from './memory-idempotency';
import { TaskNotRetryableException } from '../../tasks/task-not-retryable.exception';
import { DelayedJobs } from './delayed-jobs';
import { MemoryLane } from './memory-lane';
import { traceCarrier, TraceCarrier } from '../../tasks/task-tracing';
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

type Lane = MemoryLane<Job>;

/**
 * Runs tasks in this process: one lane per task with the task's concurrency (prioritized jobs first, the rest FIFO);
 * delayed jobs wait on one timer for the earliest; each attempt goes to the runner, and its outcome to the records (a
 * retry waits out its backoff on a timer). Shutdown stops taking work and waits (bounded) for running tasks.
 */
@Injectable()
export class MemoryTaskBackend extends TaskBackend implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MemoryTaskBackend.name);
  private readonly idempotencyKeys: MemoryIdempotencyKeys;
  private readonly lanes = new Map<string, Lane>();
  private readonly running = new Map<string, TaskAbort>();
  private readonly retryTimers = new Map<string, { timer: NodeJS.Timeout; job: Job }>();
  /** Delayed jobs, each released into its lane at its `runAt`. */
  private readonly delayed = new DelayedJobs<Job>((job) => this.push(job));
  /** Pending tasks cancelled while their job waits in a lane or for its delay: a retry lets that job run them. */
  private readonly cancelledInQueue = new Set<string>();
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
    this.idempotencyKeys = new MemoryIdempotencyKeys(records);
  }

  async enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<void> {
    this.queue({ task, record: this.records.get(record.id) ?? record, input, trace: traceCarrier() });
  }

  /** Claim, record and queue in one synchronous step: concurrent repeats find the first one's record. */
  async enqueueOnce(task: RegisteredTask, record: TaskRecord, input: unknown, ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer> {
    return this.idempotencyKeys.createOnce(record, claim, () => {
      this.records.create(record, ttlSeconds);
      this.queue({ task, record: this.records.get(record.id)!, input, trace: traceCarrier() });
    });
  }

  /** Into its lane now, or once its runAt has come. */
  private queue(job: Job): void {
    if (job.record.runAt === undefined) this.push(job);
    else this.delayed.add(job, job.record.runAt);
  }

  async cancel(record: TaskRecord): Promise<TaskRecord> {
    const abort = this.running.get(record.id);
    if (abort) {
      abort.abort(new TaskCancelledError());
      return (await this.records.waitForFinish(record.id, this.options.shutdownTimeoutMs)) ?? record;
    }
    const retry = this.retryTimers.get(record.id);
    if (retry) {
      clearTimeout(retry.timer);
      this.retryTimers.delete(record.id);
      this.records.keepInput(record.id, retry.job.input);
    } else {
      // A pending job stays in its lane (or delay) and is skipped when reached: cheaper than searching the queue.
      this.cancelledInQueue.add(record.id);
    }
    const cancelled = this.records.apply(record.id, { status: 'cancelled', finishedAt: Date.now() }) ?? record;
    this.events.ended(record.id);
    this.runner.cancelledBeforeRun(record);
    return cancelled;
  }

  async retry(task: RegisteredTask, record: TaskRecord): Promise<TaskRecord> {
    const live = this.records.get(record.id);
    if (!live || (live.status !== 'failed' && live.status !== 'cancelled')) throw new TaskNotRetryableException(live ?? record);
    const input = this.records.inputOf(record.id);
    const reopened = this.records.reopen(record.id, {
      status: 'pending',
      maxAttempts: live.attempts + task.definition.attempts,
      error: undefined,
      startedAt: undefined,
      finishedAt: undefined,
    })!;
    // The record as the retry left it: the job may start (and change the live record) before the caller reads it.
    const answer = { ...reopened };
    // A task cancelled before it was reached still has its job queued: that job runs it now.
    if (!this.cancelledInQueue.delete(record.id)) this.push({ task, record: reopened, input });
    return answer;
  }

  async queueCounts(): Promise<QueueCount[]> {
    // Delayed jobs are counted when asked (a scrape), the cancelled ones left out: nothing to keep up per submit.
    const delayed = new Map<string, number>();
    for (const { task, record } of this.delayed.items()) {
      if (record.status === 'pending') delayed.set(task.definition.name, (delayed.get(task.definition.name) ?? 0) + 1);
    }
    const tasks = new Set([...this.lanes.keys(), ...delayed.keys()]);
    return [...tasks].flatMap((task) => [
      { task, state: 'waiting', count: this.lanes.get(task)?.waiting ?? 0 },
      { task, state: 'active', count: this.lanes.get(task)?.running ?? 0 },
      { task, state: 'delayed', count: delayed.get(task) ?? 0 },
    ]);
  }

  async readiness(): Promise<BackendReadiness> {
    return { ok: !this.closing, details: { backend: 'memory', running: this.running.size, closing: this.closing } };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const { timer } of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.delayed.clear();
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
    if (!lane) this.lanes.set(name, (lane = new MemoryLane<Job>(concurrency)));
    return lane;
  }

  private push(job: Job): void {
    const lane = this.lane(job.task);
    lane.push(job);
    this.drain(lane);
  }

  private drain(lane: Lane): void {
    while (!this.closing && lane.running < lane.concurrency) {
      const job = lane.shift();
      if (!job) return;
      if (job.record.status !== 'pending') {
        this.cancelledInQueue.delete(job.record.id); // cancelled while waiting
        continue;
      }
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
        owner: record.owner,
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
      this.retryTimers.set(id, { timer, job });
    } else {
      this.records.apply(id, { status: outcome.status, error: outcome.taskError, finishedAt: Date.now() });
      this.records.keepInput(id, job.input);
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
