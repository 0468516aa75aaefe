import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import type { ResolvedAuOptions } from '../../core/au.options';
import { AU_OPTIONS, AU_QUEUES } from '../../core/au.tokens';
import type { TaskRecord } from '../../core/task-record';
import { TIMED_OUT, within } from '../../core/within';
import { BackendReadiness, QueueCount, TaskBackend } from '../../tasks/task.backend';
import type { ClaimAnswer, IdempotencyClaim } from '../../tasks/idempotency-key';
import type { TaskDefinition } from '../../tasks/task-definition';
import type { RegisteredTask } from '../../tasks/task.registry';
import { TaskRunner } from '../../tasks/task.runner';
import { traceCarrier } from '../../tasks/task-tracing';
import { TaskStore } from '../../tasks/task.store';
import { AU_BACKOFF, AuJobData } from './bull-job';
import { retryBullJob } from './bull-task.retry';
import { guardRedis } from './redis/guard-redis';
import { RedisConnections } from './redis/redis.connections';
import { RedisTaskWriter } from './redis/redis-task.writer';

/** The Bull queue of each task, by task name. */
export type TaskQueues = Map<string, Queue>;

/**
 * Tasks as Bull jobs: one queue per task (registered through @nestjs/bull, so apps can `@InjectQueue(name)`),
 * job id = task id, the task's attempts and backoff as Bull job options, added with au's fields and listing entries
 * in one script (RedisTaskWriter). Cancel finishes a waiting job at once, or tells whichever worker holds it to abort
 * (au's cancel channel).
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

  enqueue(task: RegisteredTask, record: TaskRecord, input: unknown): Promise<unknown> {
    const { queue, data, options } = this.jobOf(task, record, input);
    return this.writer.add(queue, record, data, options);
  }

  /** The claim is decided in the script that adds the job (RedisTaskWriter): atomic whatever process submits. */
  enqueueOnce(task: RegisteredTask, record: TaskRecord, input: unknown, _ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer> {
    const { queue, data, options } = this.jobOf(task, record, input);
    return this.writer.addOnce(queue, record, data, options, claim);
  }

  /** The task's Bull job: its queue, data and options. */
  private jobOf({ definition }: RegisteredTask, record: TaskRecord, input: unknown): { queue: Queue; data: AuJobData; options: JobOptions } {
    const data: AuJobData = { input };
    if (record.requestId) data.requestId = record.requestId;
    if (record.parentId) data.parentId = record.parentId;
    if (record.owner !== undefined) data.owner = record.owner;
    const trace = traceCarrier();
    if (trace) data.trace = trace;
    // The record's createdAt as the job's timestamp (Bull takes it; its typings omit it): a record built from the job
    // then reads the same as the stored one (completedRecord).
    const options = this.addOptions(definition) as JobOptions & { timestamp: number };
    options.jobId = record.id;
    options.timestamp = record.createdAt;
    if (record.runAt !== undefined) options.delay = record.runAt - record.createdAt;
    if (record.priority !== undefined) options.priority = record.priority;
    return { queue: this.queue(definition.name), data, options };
  }

  /** Options every job of the task is added with: attempts and backoff. */
  private addOptions(definition: TaskDefinition): JobOptions {
    // Finished jobs are removed in bulk once their TTL has passed (RedisTaskWriter), not one by one by Bull.
    const options: JobOptions = { attempts: definition.attempts, removeOnComplete: false, removeOnFail: false };
    if (definition.attempts > 1) options.backoff = { type: AU_BACKOFF, options: definition.backoff } as never;
    return options;
  }

  async retry({ definition }: RegisteredTask, record: TaskRecord): Promise<TaskRecord> {
    const maxAttempts = record.attempts + definition.attempts;
    await retryBullJob(this.queue(record.task), this.writer, record, maxAttempts, this.addOptions(definition));
    // The record as the retry left it (a worker may have taken the job by now).
    return { ...record, status: 'pending', maxAttempts, error: undefined, startedAt: undefined, finishedAt: undefined };
  }

  async cancel(record: TaskRecord): Promise<TaskRecord> {
    // One script: a waiting job is finished as cancelled at once; a running one is flagged and its worker, told
    // through the cancel channel, aborts it. A job that finished first keeps its record.
    const state = await this.writer.cancel(record.task, record.id);
    if (state === 'pending') this.runner.cancelledBeforeRun(record);
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
