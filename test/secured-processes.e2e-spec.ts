import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppProcess } from './harness/app-process';
import { http } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/**
 * Owner scoping and Idempotency-Key across real processes on Bull: the reference app (`node dist/src/main.js`,
 * DEMO_AUTH=on) as two API processes and a worker on the e2e run's redis-server, each with its own key prefix.
 */
describe('secured routes across Bull processes', () => {
  let client: Redis;
  const started: AppProcess[] = [];
  const start = async (role: 'api' | 'worker', prefix: string, env: Record<string, string> = { DEMO_AUTH: 'on' }) => {
    const app = await AppProcess.start({ role, redisUrl: sharedRedisUrl(), prefix, env });
    started.push(app);
    return app;
  };
  const prefix = () => `sp${randomUUID().slice(0, 8)}`;
  const as = (name: string, key?: string) => ({ Authorization: `Bearer ${name}`, ...(key ? { 'Idempotency-Key': key } : {}) });

  beforeAll(() => {
    client = new Redis(sharedRedisUrl());
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.stop('SIGKILL')));
  });

  afterAll(() => {
    client.disconnect();
  });

  it('creates exactly one task for 50 concurrent submits with one key, spread over two API processes', async () => {
    const p = prefix();
    const apis = [await start('api', p), await start('api', p)];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => http('POST', `${apis[i % 2].url}/tasks/factorial`, { n: 12 }, as('alice', 'one-order'))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const [id] = ids;
    // One record, one Bull job: what ends up in Redis.
    expect(await client.zrange(`${p}:_au:tasks:by-task:factorial`, 0, -1)).toEqual([id]);
    expect(await client.lrange(`${p}:factorial:wait`, 0, -1)).toEqual([id]);
    expect(await client.hget(`${p}:factorial:${id}`, 'auOwner')).toBe('alice');
    const idem = await client.keys(`${p}:_au:idem:*`);
    expect(idem).toEqual([expect.stringMatching(new RegExp(`^${p}:_au:idem:[0-9a-f]{64}$`))]);
    expect(await client.get(idem[0])).toMatch(new RegExp(`^${id}\\|factorial\\|[0-9a-f]{64}\\|3600000\\|604800000$`));

    // A worker runs it once; a repeat with ?wait= then answers 200 with the result, from either API.
    const worker = await start('worker', p);
    const done = await http('POST', `${apis[1].url}/tasks/factorial?wait=20`, { n: 12 }, as('alice', 'one-order'));
    expect(done.status).toBe(200);
    expect(done.headers.get('idempotent-replayed')).toBe('true');
    expect(done.body).toMatchObject({ id, status: 'completed', result: '479001600' });
    expect(await client.zcard(`${p}:factorial:completed`)).toBe(1);
    expect(worker.child.exitCode).toBeNull();
    // Finished: the key holds the task while its record is kept (the result TTL after it finished, which the key
    // carries); nothing is written per task when it finishes.
    expect(await client.get(idem[0])).toMatch(/\|3600000\|604800000$/);
    // The same key with another input, from the other API: 422.
    const reused = await http('POST', `${apis[0].url}/tasks/factorial`, { n: 13 }, as('alice', 'one-order'));
    expect(reused.status).toBe(422);
    expect(reused.body.message).toMatch(/another input/);
  });

  it('enforces the owner in every API process: B gets 404 for A\'s task from either, A reads it from both', async () => {
    const p = prefix();
    const apis = [await start('api', p), await start('api', p)];
    const created = await http('POST', `${apis[0].url}/tasks/sleep`, { ms: 60_000 }, as('alice'));
    expect(created.status).toBe(202);
    const { id } = created.body;
    for (const api of apis) {
      expect((await http('GET', `${api.url}/tasks/${id}`, undefined, as('alice'))).status).toBe(200);
      expect((await http('GET', `${api.url}/tasks/${id}`, undefined, as('bob'))).status).toBe(404);
      expect((await http('GET', `${api.url}/tasks/${id}/result`, undefined, as('bob'))).status).toBe(404);
      expect((await http('DELETE', `${api.url}/tasks/${id}`, undefined, as('bob'))).status).toBe(404);
      expect((await http('GET', `${api.url}/tasks`, undefined, as('bob'))).body.items).toEqual([]);
      const mine = await http('GET', `${api.url}/tasks`, undefined, as('alice'));
      expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
      expect((await http('GET', `${api.url}/tasks`)).status).toBe(401);
    }
    const cancelled = await http('DELETE', `${apis[1].url}/tasks/${id}`, undefined, as('alice'));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('leaves the reference app open without DEMO_AUTH, idempotent keys included', async () => {
    const p = prefix();
    const apis = [await start('api', p, {}), await start('api', p, {})];
    const first = await http('POST', `${apis[0].url}/tasks/noop`, {}, { 'Idempotency-Key': 'open-key' });
    const again = await http('POST', `${apis[1].url}/tasks/noop`, {}, { 'Idempotency-Key': 'open-key' });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await http('GET', `${apis[1].url}/tasks/${first.body.id}`)).status).toBe(200);
    expect((await http('GET', `${apis[1].url}/tasks/stats`)).status).toBe(200);
  });
});
