import type Redis from 'ioredis';
import { guardRedis } from './guard-redis';
import type { RedisKeys } from './redis-keys';

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

  /** Keeps a removed job's data (input, request id, parent id) in the task's meta. */
  keepJobData(id: string, data: unknown): Promise<unknown> {
    return guardRedis('cancel the task', () => this.client.hset(this.keys.meta(id), 'data', JSON.stringify(data)));
  }

  /** The data kept by `keepJobData`, if any. */
  async keptJobData<T>(id: string): Promise<T | undefined> {
    const raw = await guardRedis('retry the task', () => this.client.hget(this.keys.meta(id), 'data'));
    return raw ? (JSON.parse(raw) as T) : undefined;
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
