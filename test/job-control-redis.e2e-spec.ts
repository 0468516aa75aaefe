import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { sharedRedisUrl } from './harness/shared-redis';

const DAY = 24 * 3600;

/** What job control leaves in Redis on the Bull backend: Bull's own delay and priority, au's TTLs, kept inputs. */
describe('job control in Redis (Bull)', () => {
  const prefix = `jr${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix });
    redis = new Redis(sharedRedisUrl());
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
  });

  it('a delayed, prioritized task is a Bull job in the delayed set until runAt, with Bull\'s delay and priority', async () => {
    const { body } = await t.http.post('/tasks/factorial?delay=60&priority=7').send({ n: 5 });
    const job = await redis.hmget(`${prefix}:factorial:${body.id}`, 'delay', 'priority', 'timestamp');
    expect(job).toEqual(['60000', '7', String(Date.parse(body.createdAt))]);
    const score = Number(await redis.zscore(`${prefix}:factorial:delayed`, body.id));
    // Bull's delayed score: the due time in ms, shifted left 12 bits.
    expect(Math.floor(score / 0x1000)).toBe(Date.parse(body.createdAt) + 60_000);
    await t.http.delete(`/tasks/${body.id}`);
    expect(await redis.exists(`${prefix}:factorial:${body.id}`)).toBe(0);
    // The cancel removed the job and kept its data in au's meta, for a retry.
    expect(JSON.parse((await redis.hget(`${prefix}:_au:task:${body.id}`, 'data'))!)).toMatchObject({ input: { n: 5 } });
    const retried = await t.http.post(`/tasks/${body.id}/retry`);
    expect(retried.status).toBe(202);
    expect(await redis.hmget(`${prefix}:factorial:${body.id}`, 'delay', 'priority')).toEqual(['60000', '7']);
    expect(await redis.hget(`${prefix}:_au:task:${body.id}`, 'status')).toBeNull();
    await t.http.delete(`/tasks/${body.id}`);
  });

  it('a failed task\'s meta and job are kept the failed TTL (7 days), a completed one\'s the result TTL', async () => {
    const { body: failed } = await t.http.post('/tasks/fail?wait=10').send({ message: 'kept' });
    const { body: done } = await t.http.post('/tasks/noop?wait=10').send({});
    expect([failed.status, done.status]).toEqual(['failed', 'completed']);
    const ttl = async (id: string) => redis.ttl(`${prefix}:_au:task:${id}`);
    // The worker sets the expiry with the batch of its turn of the event loop: read it once it is there.
    const deadline = Date.now() + 5000;
    while ((await ttl(failed.id)) > 7 * DAY - 60 || (await ttl(done.id)) > 3600) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await ttl(failed.id)).toBeGreaterThan(6 * DAY);
    expect(await ttl(done.id)).toBeLessThanOrEqual(3600);
    const opts = JSON.parse((await redis.hget(`${prefix}:fail:${failed.id}`, 'opts'))!);
    expect(opts.removeOnFail).toEqual({ age: 7 * DAY });
    expect(opts.removeOnComplete).toEqual({ age: 3600 });
  });
});
