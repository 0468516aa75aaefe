import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TaskEventSource } from '@au/nestjs/tasks/task-events';
import { createTestApp, TestApp, TestPlatform } from './fixtures/create-test-app';
import { eventually, http } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';
import { SseClient } from './harness/sse-client';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const CYCLES = 1000;

/** The live JS heap after full collections, in MB. */
function heapMb(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/**
 * A client that disconnects frees everything it held: after 1,000 connect/disconnect cycles on a running task no
 * listener is left, no Redis channel stays subscribed, and the heap has not grown.
 */
describe.each<[string, TestPlatform, boolean]>([
  ['memory', 'express', false],
  ['bull', 'express', true],
  ['bull', 'fastify', true],
])('task events: %s on %s, clients that disconnect', (backend, platform, bull) => {
  const prefix = `ed${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  let source: TaskEventSource;
  let redis: Redis | undefined;

  beforeAll(async () => {
    t = await createTestApp({ backend: bull ? 'bull' : 'memory', platform, ...(bull ? { redisUrl: sharedRedisUrl(), prefix } : {}) });
    source = t.app.get(TaskEventSource);
    if (bull) redis = new Redis(sharedRedisUrl());
  });

  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  /**
   * Subscribers Redis counts on the channels a follower of `task` subscribes to, and the patterns subscribed (Bull's
   * active channels: nothing else here subscribes to one).
   */
  const subscribers = async (task: string) => {
    if (!redis) return 0;
    const counts = (await redis.pubsub('NUMSUB', `${prefix}:_au:events`, `${prefix}:${task}:progress`)) as (string | number)[];
    const patterns = Number(await redis.call('PUBSUB', 'NUMPAT'));
    return Number(counts[1]) + Number(counts[3]) + patterns;
  };

  /** Opens the task's stream, waits for its first event (so the server holds the subscription) and disconnects. */
  async function cycle(id: string): Promise<void> {
    const client = SseClient.open(`${t.url}/tasks/${id}/events`);
    await client.next((e) => e.type === 'status', 10_000);
    client.close();
    await client.ended;
  }

  it(`holds nothing after ${CYCLES.toLocaleString('en-US')} connect/disconnect cycles`, async () => {
    const { body } = await http('POST', `${t.url}/tasks/sleep`, { ms: 600_000 });
    await eventually(async () => (await http('GET', `${t.url}/tasks/${body.id}`)).body.status === 'running', 10_000, 'running');
    for (let i = 0; i < 300; i++) await cycle(body.id); // warm-up: lazily made connections, JIT, pools
    await eventually(async () => source.listenerCount() === 0, 5000, 'no listener after the warm-up');
    const before = { heap: heapMb(), subscribers: await subscribers('sleep') };

    const started = Date.now();
    for (let i = 0; i < CYCLES; i++) await cycle(body.id);
    const seconds = (Date.now() - started) / 1000;

    await eventually(async () => source.listenerCount() === 0 && (await subscribers('sleep')) === 0, 5000, 'every listener and subscription freed');
    const after = { heap: heapMb(), subscribers: await subscribers('sleep') };
    console.log(
      `${backend} on ${platform}: ${CYCLES} cycles in ${seconds.toFixed(1)} s; listeners ${source.listenerCount()}; ` +
        `Redis subscribers ${before.subscribers} -> ${after.subscribers}; heap ${before.heap.toFixed(1)} -> ${after.heap.toFixed(1)} MB`,
    );
    expect(before.subscribers).toBe(0);
    expect(after.subscribers).toBe(0);
    expect(after.heap - before.heap).toBeLessThan(3);
    // The task was followed, not disturbed: still running, and it still ends as it should.
    expect((await http('DELETE', `${t.url}/tasks/${body.id}`)).body.status).toBe('cancelled');
  }, 120_000);
});
