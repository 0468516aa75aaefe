import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuMetrics, AuModule, setupAu } from '@au/nestjs';
import { DemoTasks } from '../src/demo/demo.tasks';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { AppProcess } from './harness/app-process';
import { freePort } from './harness/free-port';
import { eventually, http } from './harness/http-client';
import { RedisServer } from './harness/redis-server';
import { sharedRedisUrl } from './harness/shared-redis';

/** The value of one sample in Prometheus text, e.g. metric('au_tasks_submitted_total', { task: 'noop' }). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = line.slice(name.length, line.lastIndexOf(' '));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** promtool (Debian's prometheus package) must pass the exposition; a missing promtool fails the test. */
function promtoolCheck(text: string): void {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool not runnable (${run.error.message}): run 'bash scripts/ensure-deps.sh' (apt-get install -y prometheus)`);
  expect({ status: run.status, output: `${run.stdout}${run.stderr}` }).toEqual({ status: 0, output: '' });
}

describe.each(['memory', 'bull'] as const)('metrics and health on the %s backend', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend === 'bull' ? { backend, redisUrl: sharedRedisUrl(), prefix: `m${randomUUID().slice(0, 8)}` } : { backend });
    const submit = (task: string, body: object) => t.http.post(`/tasks/${task}`).send(body).expect(202).then((r) => r.body.id as string);
    const ids = await Promise.all([submit('noop', {}), submit('noop', {}), submit('noop', {}), submit('fail', { message: 'x' }), submit('flaky', { failTimes: 1 })]);
    for (const id of ids) await t.http.get(`/tasks/${id}/result?wait=10`);
    const sleeping = await submit('sleep', { ms: 600_000 });
    await eventually(async () => (await t.http.get(`/tasks/${sleeping}`)).body.status === 'running', 10_000, 'running');
    await t.http.delete(`/tasks/${sleeping}`).expect(200);
    await eventually(async () => sample((await t.http.get('/metrics')).text, 'au_tasks_running', { task: 'sleep' }) === 0, 10_000, 'sleep stopped');
  });

  afterAll(() => t.close());

  it('counts submissions, outcomes, retries, durations and waits in Prometheus text that promtool accepts', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe(t.app.get(AuMetrics).contentType);
    const text = res.text;
    expect(sample(text, 'au_tasks_submitted_total', { task: 'noop' })).toBe(3);
    expect(sample(text, 'au_tasks_finished_total', { task: 'noop', status: 'completed' })).toBe(3);
    expect(sample(text, 'au_tasks_finished_total', { task: 'fail', status: 'failed' })).toBe(1);
    expect(sample(text, 'au_tasks_finished_total', { task: 'flaky', status: 'completed' })).toBe(1);
    expect(sample(text, 'au_task_retries_total', { task: 'flaky' })).toBe(1);
    expect(sample(text, 'au_tasks_finished_total', { task: 'sleep', status: 'cancelled' })).toBe(1);
    expect(sample(text, 'au_task_duration_seconds_count', { task: 'flaky' })).toBe(2);
    expect(sample(text, 'au_task_wait_seconds_count', { task: 'noop' })).toBe(3);
    for (const task of ['noop', 'fail', 'flaky', 'sleep']) expect(sample(text, 'au_tasks_running', { task })).toBe(0);
    expect(text).toMatch(/^au_queue_jobs\{task="noop",state="\w+"\} \d+$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
    promtoolCheck(text);
  });

  it('GET /tasks/stats gives totals per task and live queue counts (routed ahead of GET /tasks/:id)', async () => {
    const { body } = await t.http.get('/tasks/stats').expect(200);
    expect(body.message).toBeUndefined();
    expect(body.tasks.noop).toMatchObject({ submitted: 3, completed: 3, failed: 0, running: 0 });
    expect(body.tasks.fail).toMatchObject({ submitted: 1, failed: 1 });
    expect(body.tasks.flaky).toMatchObject({ completed: 1, retries: 1 });
    expect(body.tasks.sleep).toMatchObject({ cancelled: 1, running: 0 });
    expect(typeof body.tasks.noop.averageDurationMs).toBe('number');
    expect(body.queues.noop).toEqual(expect.objectContaining({ active: 0 }));
  });

  it('answers /health/live and /health/ready with terminus bodies', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { au: { status: 'up', backend } } });
  });
});

describe('metrics options', () => {
  const build = async (metrics: { enabled?: boolean; path?: string }) => {
    @Module({ imports: [AuModule.forRoot({ tasks: [DemoTasks], metrics })] })
    class MetricsFixtureModule {}
    const app = (await Test.createTestingModule({ imports: [MetricsFixtureModule] }).compile()).createNestApplication({ logger: false });
    setupAu(app);
    await app.init();
    return app;
  };

  it('serves metrics on a configured path', async () => {
    const app = await build({ path: '/prom' });
    try {
      await request(app.getHttpServer()).get('/prom').expect(200).expect(/au_tasks_submitted_total/);
      await request(app.getHttpServer()).get('/metrics').expect(404);
    } finally {
      await app.close();
    }
  });

  it('can be turned off: no /metrics, no /tasks/stats, no AuMetrics counting', async () => {
    const app = await build({ enabled: false });
    try {
      await request(app.getHttpServer()).get('/metrics').expect(404);
      await request(app.getHttpServer()).get('/tasks/stats').expect(404);
      expect(() => app.get(AuMetrics, { strict: false })).toThrow();
      await request(app.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('readiness follows Redis', () => {
  it('turns 503 with terminus details while Redis is down and 200 when it is back', async () => {
    const redis = await RedisServer.start();
    const t = await createTestApp({ backend: 'bull', redisUrl: redis.url, prefix: `h${randomUUID().slice(0, 8)}` });
    try {
      await t.http.get('/health/ready').expect(200);
      await redis.stop();
      const down = await t.http.get('/health/ready').expect(503);
      expect(down.body).toMatchObject({ status: 'error', error: { au: { status: 'down', redis: 'down' } } });
      await t.http.get('/health/live').expect(200);
      await redis.restart();
      await eventually(async () => (await t.http.get('/health/ready')).status === 200, 20_000, 'ready again');
    } finally {
      await t.close();
      await redis.destroy();
    }
  });
});

describe('a worker process serves its own metrics', () => {
  it('exposes /metrics on AU_METRICS_PORT with the runs it did, while the API counts the submissions', async () => {
    const redis = await RedisServer.start();
    const prefix = `w${randomUUID().slice(0, 8)}`;
    const metricsPort = await freePort();
    const api = await AppProcess.start({ role: 'api', redisUrl: redis.url, prefix });
    const worker = await AppProcess.start({ role: 'worker', redisUrl: redis.url, prefix, env: { AU_METRICS_PORT: String(metricsPort) } });
    try {
      const ids = await Promise.all(Array.from({ length: 5 }, () => http('POST', `${api.url}/tasks/noop`, {}).then((r) => r.body.id)));
      for (const id of ids) expect((await http('GET', `${api.url}/tasks/${id}/result?wait=10`)).status).toBe(200);
      const workerText = (await http<string>('GET', `http://127.0.0.1:${metricsPort}/metrics`)).body;
      expect(sample(workerText, 'au_tasks_finished_total', { task: 'noop', status: 'completed' })).toBe(5);
      expect(sample(workerText, 'au_tasks_submitted_total', { task: 'noop' })).toBe(0);
      promtoolCheck(workerText);
      const apiText = (await http<string>('GET', `${api.url}/metrics`)).body;
      expect(sample(apiText, 'au_tasks_submitted_total', { task: 'noop' })).toBe(5);
      expect(sample(apiText, 'au_queue_jobs', { task: 'noop', state: 'completed' })).toBe(5);
    } finally {
      await Promise.all([api.stop('SIGKILL'), worker.stop('SIGKILL')]);
      await redis.destroy();
    }
  });
});
