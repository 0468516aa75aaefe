import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TaskService } from '@au/nestjs';
import { RedisTaskWriter } from '@au/nestjs/backends/bull/redis/redis-task.writer';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/** What au's Redis store leaves in Redis, on the e2e run's redis-server. */
describe('Redis store: a task is its Bull job', () => {
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

  const submit = (task: string, query = '', requestId = `rs-${randomUUID()}`) =>
    t.http.post(`/tasks/${task}${query}`).set('X-Request-ID', requestId).send({});

  it('keeps au\'s fields in the job\'s hash and lists the task, with no key of its own', async () => {
    const requestId = `rs-${randomUUID()}`;
    const { body } = await submit('noop', '?wait=5', requestId).expect(200);
    expect(await redis.hgetall(`${prefix}:noop:${body.id}`)).toMatchObject({ auRequestId: requestId, timestamp: expect.any(String) });
    const createdAt = String(Date.parse(body.createdAt));
    expect(await redis.zscore(`${prefix}:_au:tasks`, body.id)).toBe(createdAt);
    expect(await redis.zscore(`${prefix}:_au:tasks:by-task:noop`, body.id)).toBe(createdAt);
    expect(await redis.zscore(`${prefix}:_au:tasks:by-request:${requestId}`, body.id)).toBe(createdAt);
    expect(await redis.ttl(`${prefix}:_au:tasks:by-request:${requestId}`)).toBeGreaterThan(3600);
    expect(await redis.keys(`${prefix}:_au:task:*`)).toEqual([]);
  });

  it('answers a finished task as gone once its TTL has passed, and the trim then removes its job in bulk', async () => {
    const { body } = await submit('short-lived', '?wait=5').expect(200);
    expect(await redis.exists(`${prefix}:short-lived:${body.id}`)).toBe(1);
    await eventually(async () => (await t.http.get(`/tasks/${body.id}`)).status === 404, 5000, 'the record to expire');
    (t.app.get(RedisTaskWriter) as unknown as { trim(): void }).trim();
    await eventually(async () => (await redis.exists(`${prefix}:short-lived:${body.id}`)) === 0, 5000, 'the job to be removed');
    expect(await redis.zscore(`${prefix}:short-lived:completed`, body.id)).toBeNull();
  });

  describe('at a few thousand tasks', () => {
    const COUNT = 2500;
    let ids: string[];
    let failedId: string;

    beforeAll(async () => {
      const tasks = t.app.get(TaskService);
      // The oldest of them failed; every other one completes.
      const failed = await tasks.submit('fail', { message: 'the oldest' });
      failedId = failed.id;
      await failed.result({ timeoutMs: 10_000 }).catch(() => undefined);
      ids = [];
      for (let i = 0; i < COUNT; i += 250) {
        const batch = await Promise.all(Array.from({ length: 250 }, () => tasks.submit('noop', {})));
        await Promise.all(batch.map((h) => h.result({ timeoutMs: 30_000 })));
        ids.push(...batch.map((h) => h.id));
      }
    }, 120_000);

    /** Every page of `GET /tasks?{query}`, following nextCursor to the end. */
    async function allPages(query: string): Promise<{ items: { id: string; createdAt: string }[]; pages: number }> {
      const items: { id: string; createdAt: string }[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await t.http.get(`/tasks?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
        items.push(...res.body.items);
        cursor = res.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      return { items, pages };
    }

    it('pages through every task of a name once, newest first', async () => {
      const { items } = await allPages('task=noop&limit=100');
      const listed = items.map((i) => i.id);
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed).toEqual(expect.arrayContaining(ids));
      const times = items.map((i) => Date.parse(i.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('finds a task past thousands that do not match the filter', async () => {
      const { items } = await allPages('status=failed&limit=5');
      expect(items.map((i) => i.id)).toContain(failedId);
    });
  });
});
