import { randomUUID } from 'node:crypto';
import { describeTaskEventsContract } from './contract/task-events-contract';
import { createTestApp, TestPlatform } from './fixtures/create-test-app';
import { sharedRedisUrl } from './harness/shared-redis';

// GET /tasks/{id}/events in one process: memory and Bull (a real redis-server), on Express and Fastify.
for (const platform of ['express', 'fastify'] as TestPlatform[]) {
  describeTaskEventsContract(`memory on ${platform}`, () => createTestApp({ backend: 'memory', platform }));
  describeTaskEventsContract(`bull on ${platform}`, () =>
    createTestApp({ backend: 'bull', platform, redisUrl: sharedRedisUrl(), prefix: `ev${randomUUID().slice(0, 8)}` }),
  );
}
