import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import type { ResolvedAuOptions } from '../../core/au.options';
import { AU_OPTIONS, AU_QUEUES } from '../../core/au.tokens';
import type { TaskRecord } from '../../core/task-record';
import { TIMED_OUT, within } from '../../core/within';
import { ttlSecondsOf } from '../../tasks/task-definition';
import { BackendReadiness, QueueCount, TaskBackend } from '../../tasks/task.backend';
import { RegisteredTask, TaskRegistry } from '../../tasks/task.registry';
import { TaskRunner } from '../../tasks/task.runner';
import { traceCarrier } from '../../tasks/task-tracing';
import { TaskStore } from '../../tasks/task.store';
import { AU_BACKOFF, AuJobData } from './bull-job';
import { guardRedis } from './redis/guard-redis';
import { RedisConnections } from './redis/redis.connections';
import { RedisTaskWriter } from './redis/redis-task.writer';

/** The Bull queue of each task, by task name. */
export type TaskQueues = Map<string, Queue>;

/**
 * Tasks as Bull jobs: one queue per task (registered through @nestjs/bull, so apps can `@InjectQueue(name)`),
 * job id = task id, and the task's attempts, backoff and TTL as Bull job options. Cancel removes a waiting job or
 * tells whichever worker holds it to abort (au's cancel channel).
 */
@Injectable()
export class BullTaskBackend extends TaskBackend implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BullTaskBackend.name);

  constructor(
    @Inject(AU_QUEUES) private readonly queues: TaskQueues,
    private readonly store: TaskStore,
    private readonly writer: RedisTaskWriter,
    private readonly connections: RedisConnections,
    private readonly runner: TaskRunner,
    private readonly registry: TaskRegistry,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {
    super();
  }

  /** The Bull queue of a task. */
  private queue(task: string): Queue {
    const queue = this.queues.get(task);
    if (!queue) throw new Error(`No Bull queue for task "${task}"`);
    return queue;
  }

  enqueue({ definition }: RegisteredTask, record: TaskRecord, input: unknown): Promise<unknown> {
    const data: AuJobData = { input };
    if (record.requestId) data.requestId = record.requestId;
    if (record.parentId) data.parentId = record.parentId;
    const trace = traceCarrier();
    if (trace) data.trace = trace;
    const keep = { age: ttlSecondsOf(definition, this.options.resultTtlSeconds) };
    // The record's createdAt as the job's timestamp (Bull takes it; its typings omit it): a record built from the job
    // then reads the same as the stored one (completedRecord).
    const options: JobOptions & { timestamp: number } = {
      jobId: record.id,
      timestamp: record.createdAt,
      attempts: definition.attempts,
      removeOnComplete: keep,
      removeOnFail: keep,
    };
    // Bull deep-clones the options of every job it adds: no backoff object where there is nothing to retry.
    if (definition.attempts > 1) options.backoff = { type: AU_BACKOFF, options: definition.backoff } as never;
    return guardRedis('queue the task', () => this.queue(definition.name).add(data, options));
  }

  async cancel(record: TaskRecord): Promise<TaskRecord> {
    // Flag first (and publish): a worker that picks the job up from now on sees it and discards it.
    await this.writer.markCancelled(record.id, Date.now());
    this.writer.expireFinished(record.id, ttlSecondsOf(this.registry.get(record.task)?.definition, this.options.resultTtlSeconds));
    const job = await guardRedis('cancel the task', () => this.queue(record.task).getJob(record.id));
    // A running job is aborted by its worker (cancel channel); only a job that is still waiting is removed. Bull's
    // lock makes remove() fail if a worker took it meanwhile (in another process; in this one the worker sees the
    // cancelled flag it was sent). A job that already failed or completed (an in-process worker may abort it before
    // getState() answers) is kept: it holds the run's attempts, timings and progress.
    const state = job ? await guardRedis('cancel the task', () => job.getState()) : undefined;
    if (job && (state === 'waiting' || state === 'delayed' || state === 'paused')) {
      try {
        await job.remove();
        this.runner.cancelledBeforeRun(record);
      } catch {
        /* taken by a worker meanwhile: aborted through the cancel channel */
      }
    }
    return (await this.store.get(record.id)) ?? { ...record, status: 'cancelled' };
  }

  async queueCounts(): Promise<QueueCount[]> {
    const perQueue = await Promise.all(
      [...this.queues].map(async ([task, queue]) => {
        const counts = await guardRedis('count jobs', () => queue.getJobCounts(), 1000);
        return Object.entries(counts).map(([state, count]) => ({ task, state, count: Number(count) }));
      }),
    );
    return perQueue.flat();
  }

  /** Redis answers PING within a second on the shared connection every queue uses. */
  async readiness(): Promise<BackendReadiness> {
    const started = Date.now();
    try {
      await guardRedis('ping Redis', () => this.connections.client.ping(), 1000);
      return { ok: true, details: { backend: 'bull', redis: 'up', pingMs: Date.now() - started, queues: this.queues.size } };
    } catch (error) {
      return { ok: false, details: { backend: 'bull', redis: 'down', message: (error as Error).message } };
    }
  }

  /** Stop taking jobs and let running ones finish, within `shutdownTimeoutMs`; the rest is handed back (stalled). */
  async beforeApplicationShutdown(): Promise<void> {
    const closing = Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    // close() marks the queues closing at once, but Bull's own pause QUITs the blocking fetch behind the pending
    // BRPOPLPUSH and waits up to 500 ms, long enough to take a new job. Cut those connections now: a job popped at
    // this instant sits in `active` without a lock, and Bull's stalled check hands it to another worker.
    this.connections.abortBlockingFetches();
    this.logger.log(`Shutting down: no new jobs; waiting up to ${this.options.shutdownTimeoutMs} ms for running ones`);
    if ((await within(closing, this.options.shutdownTimeoutMs)) === TIMED_OUT) {
      this.logger.warn(`Jobs still running after ${this.options.shutdownTimeoutMs} ms; Bull's stalled check will hand them to another worker`);
    }
  }
}
