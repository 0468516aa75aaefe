import { getQueueToken } from '@nestjs/bull';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobOptions, Queue } from 'bull';
import { AU_OPTIONS } from '../../au.constants';
import type { ResolvedAuOptions } from '../../au.options';
import { guardRedis } from '../../common/redis-unavailable.exception';
import { RedisConnections } from '../../storage/redis.connections';
import { RedisTaskStore } from '../../storage/redis-task.store';
import type { TaskRecord } from '../../storage/task-record';
import { TaskHooks } from '../../tasks/task-hooks';
import type { RegisteredTask } from '../../tasks/task.registry';
import { TASK_DEFINITIONS } from '../../tasks/tasks.tokens';
import type { TaskDefinition } from '../../tasks/task-definition';
import { BackendReadiness, QueueCount, TaskBackend } from '../task.backend';
import { AU_BACKOFF, AuJobData } from './bull-job';

/**
 * Tasks as Bull jobs: one queue per task (registered through @nestjs/bull, so apps can `@InjectQueue(name)`),
 * job id = task id, and the task's attempts, backoff and TTL as Bull job options. Cancel removes a waiting job or
 * tells whichever worker holds it to abort (au's cancel channel).
 */
@Injectable()
export class BullTaskBackend extends TaskBackend implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(BullTaskBackend.name);
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly store: RedisTaskStore,
    private readonly connections: RedisConnections,
    private readonly hooks: TaskHooks,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {
    super();
  }

  onModuleInit(): void {
    for (const { name } of this.definitions) {
      this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    }
  }

  /** The Bull queue of a task. */
  queue(task: string): Queue {
    const queue = this.queues.get(task);
    if (!queue) throw new Error(`No Bull queue for task "${task}"`);
    return queue;
  }

  allQueues(): Map<string, Queue> {
    return this.queues;
  }

  ttlOf(task: string): number {
    return this.definitions.find((d) => d.name === task)?.ttlSeconds ?? this.options.resultTtlSeconds;
  }

  enqueue({ definition }: RegisteredTask, record: TaskRecord, input: unknown): Promise<unknown> {
    const data: AuJobData = { input };
    if (record.requestId) data.requestId = record.requestId;
    if (record.parentId) data.parentId = record.parentId;
    const keep = { age: this.ttlOf(definition.name) };
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
    await this.store.update(record.id, { status: 'cancelled', finishedAt: Date.now() });
    this.store.expireFinished(record.id, this.ttlOf(record.task));
    const job = await guardRedis('cancel the task', () => this.queue(record.task).getJob(record.id));
    // A running job is aborted by its worker (cancel channel); only a job that is still waiting is removed. Bull's
    // lock makes remove() fail if a worker took it meanwhile (in another process; in this one the worker sees the
    // cancelled flag it was sent). A job that already failed or completed (an in-process worker may abort it before
    // getState() answers) is kept: it holds the run's attempts, timings and progress.
    const state = job ? await guardRedis('cancel the task', () => job.getState()) : undefined;
    if (job && (state === 'waiting' || state === 'delayed' || state === 'paused')) {
      try {
        await job.remove();
        this.hooks.emit('onCancel', { id: record.id, task: record.task, wasRunning: false });
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
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs).unref());
    if ((await Promise.race([closing, timeout])) === 'timeout') {
      this.logger.warn(`Jobs still running after ${this.options.shutdownTimeoutMs} ms; Bull's stalled check will hand them to another worker`);
    }
  }
}
