import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisTaskWriter } from '@au/nestjs/backends/bull/redis/redis-task.writer';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/** What job control leaves in Redis on the Bull backend: Bull's own delay and priority, kept jobs, TTLs by outcome. */
describe('job control in Redis (Bull)', () => {
  const prefix = `jr${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    // Completed records are kept 1 s, failed and cancelled ones the default failed TTL (7 days).
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, resultTtlSeconds: 1 });
    redis = new Redis(sharedRedisUrl());
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
  });

  it('a delayed, prioritized task is a Bull job in the delayed set until runAt; cancelled it keeps its job, retried its delay', async () => {
    const { body } = await t.http.post('/tasks/factorial?delay=60&priority=7').send({ n: 5 });
    const job = await redis.hmget(`${prefix}:factorial:${body.id}`, 'delay', 'priority', 'timestamp');
    expect(job).toEqual(['60000', '7', String(Date.parse(body.createdAt))]);
    const score = Number(await redis.zscore(`${prefix}:factorial:delayed`, body.id));
    // Bull's delayed score: the due time in ms, shifted left 12 bits.
    expect(Math.floor(score / 0x1000)).toBe(Date.parse(body.createdAt) + 60_000);
    await t.http.delete(`/tasks/${body.id}`).expect(200);
    // The cancel finished the job into Bull's failed set: it never runs, and keeps its input for a retry.
    expect(await redis.zscore(`${prefix}:factorial:delayed`, body.id)).toBeNull();
    expect(await redis.zscore(`${prefix}:factorial:failed`, body.id)).not.toBeNull();
    expect(JSON.parse((await redis.hget(`${prefix}:factorial:${body.id}`, 'data'))!)).toMatchObject({ input: { n: 5 } });
    expect(await redis.hget(`${prefix}:factorial:${body.id}`, 'auCancelledAt')).not.toBeNull();
    const retried = await t.http.post(`/tasks/${body.id}/retry`);
    expect(retried.status).toBe(202);
    expect(await redis.hmget(`${prefix}:factorial:${body.id}`, 'delay', 'priority', 'auCancelledAt')).toEqual(['60000', '7', null]);
    expect(Math.floor(Number(await redis.zscore(`${prefix}:factorial:delayed`, body.id)) / 0x1000)).toBe(Date.parse(body.createdAt) + 60_000);
    await t.http.delete(`/tasks/${body.id}`).expect(200);
  });

  it('a completed job goes with the trim after the result TTL; a failed one is kept the failed TTL', async () => {
    const { body: failed } = await t.http.post('/tasks/fail?wait=10').send({ message: 'kept' });
    const { body: done } = await t.http.post('/tasks/noop?wait=10').send({});
    expect([failed.status, done.status]).toEqual(['failed', 'completed']);
    expect(JSON.parse((await redis.hget(`${prefix}:fail:${failed.id}`, 'opts'))!)).toMatchObject({ removeOnFail: false });
    await eventually(async () => (await t.http.get(`/tasks/${done.id}`)).status === 404, 5000, 'the completed record to expire');
    (t.app.get(RedisTaskWriter) as unknown as { trim(): void }).trim();
    await eventually(async () => (await redis.exists(`${prefix}:noop:${done.id}`)) === 0, 5000, 'the completed job to go');
    expect(await redis.exists(`${prefix}:fail:${failed.id}`)).toBe(1);
    expect((await t.http.get(`/tasks/${failed.id}`)).body).toMatchObject({ status: 'failed' });
  });
});
