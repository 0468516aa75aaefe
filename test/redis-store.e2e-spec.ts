import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisTaskStore } from '@au/nestjs/backends/bull/redis/redis-task.store';
import type { TaskRecord } from '@au/nestjs';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { sharedRedisUrl } from './harness/shared-redis';

const WEEK = 7 * 24 * 3600;

/** What au's Redis store leaves in Redis, on the e2e run's redis-server. */
describe('Redis store: the meta of a new task', () => {
  let t: TestApp;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    prefix = `rs${randomUUID().slice(0, 8)}`;
    redis = new Redis(sharedRedisUrl());
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix });
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
  });

  const record = (): TaskRecord => ({ id: randomUUID(), task: 'noop', status: 'pending', attempts: 0, maxAttempts: 1, progress: 0, createdAt: Date.now() });

  it('is kept for the pending bound (7 days) until a worker finishes the task', async () => {
    const r = record();
    await t.app.get(RedisTaskStore).create(r, 60);
    const ttl = await redis.ttl(`${prefix}:_au:task:${r.id}`);
    expect(ttl).toBeGreaterThan(WEEK - 10);
    expect(ttl).toBeLessThanOrEqual(WEEK);
    expect(await redis.hgetall(`${prefix}:_au:task:${r.id}`)).toMatchObject({ task: 'noop', createdAt: String(r.createdAt) });
  });

  it('gets the task TTL at once when Bull finished the job before the record arrived (its expiry came too early)', async () => {
    const r = record();
    // A worker elsewhere took, ran and finished the job while the API was still to send the record.
    await redis.hset(`${prefix}:noop:${r.id}`, { data: '{}', timestamp: r.createdAt, finishedOn: Date.now(), returnvalue: 'null' });
    await t.app.get(RedisTaskStore).create(r, 60);
    const ttl = await redis.ttl(`${prefix}:_au:task:${r.id}`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
