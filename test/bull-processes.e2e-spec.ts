import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppProcess } from './harness/app-process';
import { eventually, http } from './harness/http-client';
import { RedisServer } from './harness/redis-server';

/**
 * The Bull backend across real processes: `node dist/src/main.js` as API and workers on a private redis-server.
 * Stalled-job settings are shortened (lock 2 s, check every 1 s) so recovery is observable in seconds.
 */
describe('Bull backend across processes', () => {
  let redis: RedisServer;
  let client: Redis;
  const started: AppProcess[] = [];
  const start = async (role: 'api' | 'worker' | 'all', prefix: string) => {
    const app = await AppProcess.start({ role, redisUrl: redis.url, prefix });
    started.push(app);
    return app;
  };
  const prefix = () => `p${randomUUID().slice(0, 8)}`;
  const submit = (api: AppProcess, task: string, body: unknown, headers?: Record<string, string>) =>
    http('POST', `${api.url}/tasks/${task}`, body, headers);
  const record = async (api: AppProcess, id: string) => (await http('GET', `${api.url}/tasks/${id}`)).body;
  const statusIs = (api: AppProcess, id: string, status: string) => async () => (await record(api, id)).status === status;

  beforeAll(async () => {
    redis = await RedisServer.start({ appendonly: true });
    client = new Redis(redis.url);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.stop('SIGKILL')));
  });

  afterAll(async () => {
    client.disconnect();
    await redis.destroy();
  });

  it('runs N tasks submitted to an API process exactly once across two worker processes, with the request id inside', async () => {
    const p = prefix();
    const api = await start('api', p);
    const workers = [await start('worker', p), await start('worker', p)];
    const n = 40;
    const accepted = await Promise.all(
      Array.from({ length: n }, (_, i) => submit(api, 'context', {}, { 'X-Request-ID': `multi-${i}` })),
    );
    expect(accepted.every((a) => a.status === 202)).toBe(true);
    const results = await Promise.all(accepted.map((a) => http('GET', `${api.url}/tasks/${a.body.id}/result?wait=20`)));
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body.result).toEqual({ requestId: `multi-${i}`, taskId: accepted[i].body.id, parentId: null, attempt: 1 });
    });
    // Each task ran once, in one of the workers, and its log line carries its request id and task id.
    const runs = workers.flatMap((w, index) =>
      w.lines.filter((l) => l.includes('context task running')).map((line) => ({ index, line })),
    );
    expect(runs).toHaveLength(n);
    for (const [i, a] of accepted.entries()) {
      const lines = runs.filter((r) => r.line.includes(`taskId=${a.body.id}`));
      expect(lines).toHaveLength(1);
      expect(lines[0].line).toContain(`requestId=multi-${i}`);
    }
    expect(new Set(runs.map((r) => r.index)).size).toBe(2);
    expect(await client.zcard(`${p}:context:completed`)).toBe(n);
    expect(api.lines.some((l) => l.includes('context task running'))).toBe(false);
    // Each is listed by its own request id, and all of them under the task.
    for (const i of [0, 17, n - 1]) {
      const listed = await http('GET', `${api.url}/tasks?requestId=multi-${i}`);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([accepted[i].body.id]);
    }
    const all = await http('GET', `${api.url}/tasks?task=context&limit=100`);
    expect(new Set(all.body.items.map((item: { id: string }) => item.id))).toEqual(new Set(accepted.map((a) => a.body.id)));
    // A finished task's record is its job, kept (with au's fields) until a trim removes it in bulk after the result
    // TTL: no key of au's per task, and no expiry written per task.
    for (const a of accepted) {
      expect(await client.hget(`${p}:context:${a.body.id}`, 'auRequestId')).toMatch(/^multi-/);
      expect(await client.ttl(`${p}:context:${a.body.id}`)).toBe(-1);
    }
    expect(await client.keys(`${p}:_au:task:*`)).toEqual([]);
  });

  it('hands the job of a SIGKILLed worker to another worker, which completes it once', async () => {
    const p = prefix();
    const api = await start('api', p);
    const doomed = await start('worker', p);
    const { body } = await submit(api, 'sleep', { ms: 2500 });
    await eventually(statusIs(api, body.id, 'running'), 10_000, 'running');
    const rescuer = await start('worker', p);
    expect(await doomed.stop('SIGKILL')).toBe('SIGKILL');
    const done = await http('GET', `${api.url}/tasks/${body.id}/result?wait=25`);
    expect(done.status).toBe(200);
    expect(done.body.result.slept).toBeGreaterThanOrEqual(2500);
    const final = await record(api, body.id);
    expect(final).toMatchObject({ status: 'completed', error: null });
    expect(await client.zscore(`${p}:sleep:completed`, body.id)).not.toBeNull();
    expect(await client.zcard(`${p}:sleep:completed`)).toBe(1);
    expect(rescuer.child.exitCode).toBeNull();
  });

  it('on SIGTERM a worker stops taking jobs and finishes the one it holds', async () => {
    const p = prefix();
    const api = await start('api', p);
    const worker = await start('worker', p);
    const held = await submit(api, 'sleep', { ms: 1500 });
    await eventually(statusIs(api, held.body.id, 'running'), 10_000, 'running');
    const exit = worker.stop('SIGTERM');
    await worker.waitForLine(/Shutting down: no new jobs/);
    const later = await submit(api, 'noop', {});
    // Graceful: Nest closes the app (Bull waits for the held job), then re-raises SIGTERM; it was not force-killed.
    expect(await exit).toBe('SIGTERM');
    expect(worker.lines.some((l) => /ERROR/.test(l))).toBe(false);
    expect(await record(api, held.body.id)).toMatchObject({ status: 'completed' });
    expect(await record(api, later.body.id)).toMatchObject({ status: 'pending' });
  });

  it('cancels across processes: a running task aborts in its worker and is not retried; a waiting one never runs', async () => {
    const p = prefix();
    const api = await start('api', p);
    await start('worker', p);
    const running = await submit(api, 'sleep', { ms: 600_000 });
    const waiting = await submit(api, 'sleep', { ms: 1000 });
    await eventually(statusIs(api, running.body.id, 'running'), 10_000, 'running');

    const cancelWaiting = await http('DELETE', `${api.url}/tasks/${waiting.body.id}`);
    expect(cancelWaiting.status).toBe(200);
    expect(cancelWaiting.body).toMatchObject({ status: 'cancelled', startedAt: null });

    const cancelRunning = await http('DELETE', `${api.url}/tasks/${running.body.id}`);
    expect(cancelRunning.status).toBe(200);
    expect(cancelRunning.body.status).toBe('cancelled');
    // The worker aborted it: Bull records the failed (discarded) attempt, and does not retry it.
    await eventually(async () => (await client.zscore(`${p}:sleep:failed`, running.body.id)) !== null, 10_000, 'failed in Bull');
    const job = await client.hgetall(`${p}:sleep:${running.body.id}`);
    expect(job.failedReason).toBe('Task was cancelled');
    expect(await record(api, running.body.id)).toMatchObject({ status: 'cancelled' });
    const result = await http('GET', `${api.url}/tasks/${waiting.body.id}/result`);
    expect(result.status).toBe(409);
    expect(await record(api, waiting.body.id)).toMatchObject({ status: 'cancelled', startedAt: null });
    expect((await http('DELETE', `${api.url}/tasks/${running.body.id}`)).status).toBe(409);
  });

  it('answers 503 while Redis is down, keeps running, and recovers when it returns', async () => {
    const own = await RedisServer.start();
    try {
      const app = await AppProcess.start({ role: 'all', redisUrl: own.url, prefix: prefix() });
      started.push(app);
      const before = await http('POST', `${app.url}/tasks/factorial?wait=5`, { n: 5 });
      expect(before.status).toBe(200);
      await own.stop();
      const t0 = Date.now();
      const submitDown = await submit(app, 'factorial', { n: 5 });
      const readDown = await http('GET', `${app.url}/tasks/${before.body.id}`);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(submitDown.status).toBe(503);
      expect(submitDown.body).toMatchObject({ statusCode: 503 });
      expect(submitDown.body.message).toMatch(/Redis/);
      expect(readDown.status).toBe(503);
      await own.restart();
      const after = await eventually(async () => {
        const answer = await http('POST', `${app.url}/tasks/factorial?wait=5`, { n: 6 });
        return answer.status === 200 ? answer : undefined;
      }, 20_000, 'recovery');
      expect(after.body.result).toBe('720');
      expect(app.child.exitCode).toBeNull();
    } finally {
      await own.destroy();
    }
  });

  it('loses no submitted task when Redis restarts with appendonly', async () => {
    const p = prefix();
    const api = await start('api', p);
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(api, 'factorial', { n: i })));
    expect(accepted.every((a) => a.status === 202)).toBe(true);
    await redis.restart();
    await start('worker', p);
    for (const [i, a] of accepted.entries()) {
      const done = await eventually(async () => {
        const answer = await http('GET', `${api.url}/tasks/${a.body.id}/result?wait=5`);
        return answer.status === 200 ? answer : undefined;
      }, 30_000, `task ${i}`);
      expect(done.body.result).toBe(i === 0 ? '1' : String([...Array(i)].reduce((acc, _, k) => acc * BigInt(k + 1), 1n)));
    }
  });
});
