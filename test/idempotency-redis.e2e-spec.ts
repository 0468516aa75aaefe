import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '@au/nestjs/core/au.errors';
import { TaskService } from '@au/nestjs';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { sharedRedisUrl } from './harness/shared-redis';

/** Idempotency keys in Redis when the job cannot be queued after the record was written, on the e2e run's redis-server. */
describe('Idempotency-Key on Bull: a task that could not be queued', () => {
  let t: TestApp;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    prefix = `ik${randomUUID().slice(0, 8)}`;
    redis = new Redis(sharedRedisUrl());
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix });
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
  });

  it('frees its key, so a retry with the key makes a new task that runs, rather than answering one that never will', async () => {
    const tasks = t.app.get(TaskService);
    // The same input each time, except that Bull's JSON of the job fails once: the key's hash (made first) is the same.
    let serialized = 0;
    const input = {
      toJSON: () => {
        if (++serialized === 2) throw new Error('not serializable this time');
        return {};
      },
    };
    await expect(tasks.submit('noop', input, { idempotencyKey: 'retry-me' })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await redis.keys(`${prefix}:_au:idem:*`)).toEqual([]);
    const retried = await tasks.submit('noop', input, { idempotencyKey: 'retry-me' });
    expect(await retried.result({ timeoutMs: 10_000 })).toBeNull();
    const again = await tasks.submitOrReplay('noop', input, { idempotencyKey: 'retry-me' });
    expect(again).toMatchObject({ replayed: true, record: { id: retried.id, status: 'completed' } });
  });
});
