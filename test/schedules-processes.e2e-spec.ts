import { randomUUID } from 'node:crypto';
import { AppProcess } from './harness/app-process';
import { eventually, http } from './harness/http-client';
import { RedisServer } from './harness/redis-server';
import { countTicks } from './harness/tick-window';

/**
 * The reference app's heartbeat (DEMO_HEARTBEAT_MS=500) on Bull across real processes: an API and one or two workers
 * of `node dist/src/main.js`. Each tick makes one task however many workers run, and ticks missed while no worker ran
 * are not made up afterwards.
 */
describe('scheduled heartbeat across processes (Bull)', () => {
  let redis: RedisServer;
  const started: AppProcess[] = [];
  const start = async (role: 'api' | 'worker', prefix: string) => {
    const app = await AppProcess.start({ role, redisUrl: redis.url, prefix, env: { DEMO_HEARTBEAT_MS: '500' } });
    started.push(app);
    return app;
  };
  const heartbeats = (api: AppProcess) => async () => (await http('GET', `${api.url}/tasks?task=heartbeat&limit=100`)).body.items;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.stop('SIGKILL')));
  });

  afterAll(async () => {
    await redis.destroy();
  });

  it.each([1, 2])('every: 500 gives 6 ± 1 heartbeats over 3 s with %i worker process(es), one per tick', async (workers) => {
    const p = `hb${randomUUID().slice(0, 8)}`;
    const api = await start('api', p);
    for (let i = 0; i < workers; i++) await start('worker', p);
    const { runs, minGapMs, statuses } = await countTicks(heartbeats(api), 3000);
    expect(runs).toBeGreaterThanOrEqual(5);
    expect(runs).toBeLessThanOrEqual(7);
    expect(minGapMs).toBeGreaterThan(250);
    expect(statuses.every((s) => s === 'completed')).toBe(true);
    const schedules = await http('GET', `${api.url}/tasks/schedules`);
    expect(schedules.body.items).toEqual([expect.objectContaining({ task: 'heartbeat', every: 500, nextRunAt: expect.any(String) })]);
  });

  it('runs no storm of missed ticks once a worker is back after downtime', async () => {
    const p = `hd${randomUUID().slice(0, 8)}`;
    const api = await start('api', p);
    const worker = await start('worker', p);
    await eventually(async () => (await heartbeats(api)()).length >= 2, 10_000, 'two heartbeats');
    await worker.stop('SIGTERM');
    // Down until at least three ticks were missed (the schedule's next run is 1.5 s overdue).
    await eventually(async () => {
      const { body } = await http('GET', `${api.url}/tasks/schedules`);
      return Date.parse(body.items[0].nextRunAt) < Date.now() - 1600;
    }, 15_000, 'three missed ticks');
    const back = Date.now();
    await start('worker', p);
    const after = async () => (await heartbeats(api)()).filter((r: { createdAt: string }) => Date.parse(r.createdAt) >= back);
    const { runs } = await countTicks(after, 2000);
    // The overdue tick once, then the ticks of the 2 s that followed: a catch-up of the missed ones would add 3 or more.
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(runs).toBeLessThanOrEqual(6);
  });
});
