import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Job } from 'bull';
import { AU_OPTIONS } from '../../au.constants';
import type { ResolvedAuOptions } from '../../au.options';
import { TaskCancelledError } from '../../common/task-errors';
import { RedisKeys } from '../../storage/redis-keys';
import { RedisTaskStore } from '../../storage/redis-task.store';
import { AU_REDIS_SUBSCRIBER } from '../../storage/redis.tokens';
import { TaskHooks } from '../../tasks/task-hooks';
import { TaskRegistry } from '../../tasks/task.registry';
import { TaskAbort } from '../../tasks/task-abort';
import { TaskRunner } from '../../tasks/task.runner';
import { BullTaskBackend } from './bull-task.backend';
import { AuJobData, completedRecord } from './bull-job';

const REMEMBER_CANCELLED_MS = 60_000;

/**
 * Runs Bull jobs in a worker process through the shared runner. Listens on au's cancel channel: a job it holds is
 * aborted; a job it has not started yet is discarded when it arrives. A cancelled job is not retried.
 */
@Injectable()
export class BullTaskWorker implements OnModuleInit {
  private readonly active = new Map<string, TaskAbort>();
  private readonly cancelled = new Map<string, number>();
  private readonly channel: string;

  constructor(
    private readonly registry: TaskRegistry,
    private readonly runner: TaskRunner,
    private readonly hooks: TaskHooks,
    private readonly store: RedisTaskStore,
    private readonly backend: BullTaskBackend,
    @Inject(AU_REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
  ) {
    this.channel = new RedisKeys(options.prefix).cancelChannel();
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (channel: string, id: string) => {
      if (channel !== this.channel) return;
      this.remember(id);
      this.active.get(id)?.abort(new TaskCancelledError());
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Bull's processor for `task` (see task-processor.factory). Resolves with the result; rejects to fail the attempt. */
  async process(task: string, job: Job<AuJobData>): Promise<unknown> {
    const registered = this.registry.getOrThrow(task);
    const id = String(job.id);
    const abort = new TaskAbort();
    if (this.cancelled.has(id)) abort.abort(new TaskCancelledError());
    this.active.set(id, abort);
    const attempt = job.attemptsMade + 1;
    const willRetry = attempt < (job.opts.attempts ?? 1);
    let final = true;
    try {
      return await this.runner.run(registered, {
        id,
        task,
        attempt,
        requestId: job.data.requestId,
        parentId: job.data.parentId,
        createdAt: job.timestamp,
        input: job.data.input,
        cancel: abort,
        willRetryOnFailure: willRetry,
        progress: (value) => job.progress(value),
      });
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        job.discard();
        this.hooks.emit('onCancel', { id, task, wasRunning: true });
      } else {
        final = !willRetry;
      }
      throw error;
    } finally {
      this.active.delete(id);
      if (final) this.store.expireFinished(id, this.backend.ttlOf(task));
    }
  }

  /**
   * A job this process ran is completed in Redis (Bull's local event): waiters here get its result now, not once
   * Bull's completed message has gone round through Redis and the subscriber, and the record built from the job
   * without reading it, unless a cancel of it was heard (the stored record then says cancelled: they read it).
   */
  completed(task: string, job: Job<AuJobData>, result: unknown): void {
    const id = String(job.id);
    this.store.completedHere(id, result, this.cancelled.has(id) ? undefined : (stored) => completedRecord(task, job, stored));
  }

  private remember(id: string): void {
    const now = Date.now();
    this.cancelled.set(id, now);
    if (this.cancelled.size > 1000) {
      for (const [key, at] of this.cancelled) if (now - at > REMEMBER_CANCELLED_MS) this.cancelled.delete(key);
    }
  }
}
