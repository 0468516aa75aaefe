import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { describeTaskEventsContract } from './contract/task-events-contract';
import { createTestApp, TestAppCreateOptions, TestPlatform } from './fixtures/create-test-app';
import { eventually, http } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';
import { SseClient } from './harness/sse-client';

const memory = (platform: TestPlatform): TestAppCreateOptions => ({ backend: 'memory', platform });
const bull = (platform: TestPlatform): TestAppCreateOptions => ({
  backend: 'bull',
  platform,
  redisUrl: sharedRedisUrl(),
  prefix: `ev${randomUUID().slice(0, 8)}`,
});

// GET /tasks/{id}/events in one process: memory and Bull (a real redis-server), on Express and Fastify.
for (const platform of ['express', 'fastify'] as TestPlatform[]) {
  describeTaskEventsContract(`memory on ${platform}`, () => createTestApp(memory(platform)));
  describeTaskEventsContract(`bull on ${platform}`, () => createTestApp(bull(platform)));
}

describe.each([
  ['memory', memory('express')],
  ['bull', bull('fastify')],
])('task events (%s): shutdown', (_name, options) => {
  it('ends every open stream at once, so the app closes while clients follow a running task', async () => {
    const t = await createTestApp(options);
    try {
      // Shutdown waits for a running task: one that ends soon, later than the streams should.
      const { body } = await http('POST', `${t.url}/tasks/sleep`, { ms: 2000 });
      await eventually(async () => (await http('GET', `${t.url}/tasks/${body.id}`)).body.status === 'running', 10_000, 'running');
      const followers = [SseClient.open(`${t.url}/tasks/${body.id}/events`), SseClient.open(`${t.url}/tasks/${body.id}/events`)];
      await Promise.all(followers.map((f) => f.next((e) => e.type === 'status')));
      await t.close();
      await Promise.all(followers.map((f) => f.done(5000)));
      // Ended by the shutdown, ahead of the task's end: no final event.
      for (const follower of followers) expect(follower.events.map((e) => e.type)).not.toContain('completed');
    } finally {
      await t.close();
    }
  });
});

describe('task events (bull): a lost subscription', () => {
  it('reads the record again once its connection is back: a cancel published meanwhile still ends the stream', async () => {
    const options = bull('express');
    const t = await createTestApp(options);
    const redis = new Redis(sharedRedisUrl());
    try {
      const { body } = await http('POST', `${t.url}/tasks/cancel-probe`, { ms: 60_000 });
      const follower = SseClient.open(`${t.url}/tasks/${body.id}/events`);
      await follower.next((e) => e.type === 'status' && e.data.status === 'running');
      // Cut the events connection; ioredis reconnects after 200 ms, and the cancel is published before that.
      const clients = (await redis.client('LIST')) as string;
      const line = clients.split('\n').find((l) => l.includes(` name=${options.prefix}:events `));
      expect(line).toBeDefined();
      await redis.client('KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]);
      expect((await http('DELETE', `${t.url}/tasks/${body.id}`)).body.status).toBe('cancelled');
      await follower.done(10_000);
      expect(follower.events[follower.events.length - 1]).toEqual({ type: 'cancelled', data: { id: body.id, status: 'cancelled' } });
    } finally {
      redis.disconnect();
      await t.close();
    }
  });
});
