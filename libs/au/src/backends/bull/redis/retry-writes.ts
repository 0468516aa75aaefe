import type Redis from 'ioredis';
import { guardRedis } from './guard-redis';
import type { RedisKeys } from './redis-keys';

/** A removed job as a retry needs it back: Bull's data, delay and priority (0: none). */
export interface KeptJob {
  data: unknown;
  delay?: number;
  priority?: number;
}

/**
 * au's writes for retries, beside RedisTaskWriter's: the data of a job that a cancel removes (so the task can be
 * added again with the same id and input), and the meta of a task made pending again.
 */
export class RetryWrites {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    /** How long an unfinished task's meta is kept at most (redis-task.writer's pending bound). */
    private readonly pendingBoundSeconds: number,
  ) {}

  /**
   * Keeps a removed job's data (input, request id, parent id) and its delay and priority in the task's meta: a retry
   * adds the job again from them, and the record still shows its runAt and priority.
   */
  keepJob(id: string, job: KeptJob): Promise<unknown> {
    const fields: Record<string, string | number> = { data: JSON.stringify(job.data) };
    if (job.delay) fields.delay = job.delay;
    if (job.priority) fields.priority = job.priority;
    return guardRedis('cancel the task', () => this.client.hset(this.keys.meta(id), fields));
  }

  /** What `keepJob` kept, if anything. */
  async keptJob(id: string): Promise<KeptJob | undefined> {
    const [data, delay, priority] = await guardRedis('retry the task', () => this.client.hmget(this.keys.meta(id), 'data', 'delay', 'priority'));
    if (!data) return undefined;
    return { data: JSON.parse(data) as unknown, delay: Number(delay ?? 0), priority: Number(priority ?? 0) };
  }

  /** Whether the task's meta says cancelled (a worker that heard a cancel checks this before dropping a job). */
  async isCancelled(id: string): Promise<boolean> {
    return (await this.client.hget(this.keys.meta(id), 'status')) === 'cancelled';
  }

  /** The meta of a task made pending again: no cancelled flag, its new maxAttempts, the pending bound as expiry. */
  reopen(id: string, maxAttempts: number): Promise<unknown> {
    const meta = this.keys.meta(id);
    return guardRedis('retry the task', () =>
      this.client.multi().hdel(meta, 'status', 'finishedAt').hset(meta, 'maxAttempts', maxAttempts).expire(meta, this.pendingBoundSeconds).exec(),
    );
  }

  /** Sets a job's `attempts` option (Bull reads it when an attempt fails) so that a retried job gets its attempts again. */
  setJobAttempts(jobKey: string, opts: object, attempts: number): Promise<unknown> {
    return guardRedis('retry the task', () => this.client.hset(jobKey, 'opts', JSON.stringify({ ...opts, attempts })));
  }
}
