import { InvalidSubmitOptionError, TaskFailedError, TaskService } from '@au/nestjs';
import type { Response } from 'supertest';
import { createTestApp, TestApp, TestPlatform } from '../fixtures/create-test-app';
import type { TestAppOptions } from '../fixtures/test-app.module';
import { eventually } from '../harness/http-client';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const WAIT_S = 10;
const WAIT_MS = WAIT_S * 1000;

/** A 400 of au's validation naming `field`. */
function expectBadField(res: Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body.statusCode).toBe(400);
  expect(res.body.fields).toHaveProperty([field]);
  expect((res.body.message as string[]).some((m) => m.includes(field))).toBe(true);
}

/**
 * Job control on any backend and HTTP platform, through the API: delays (`?delay=`, `runAt`), priorities
 * (`?priority=`), retry of failed and cancelled tasks (`POST /tasks/{id}/retry`, `handle.retry()`), and the failed
 * tasks' longer TTL (the dead-letter list). Waits go through the API, never a fixed sleep.
 */
export function describeJobControlContract(
  backend: 'memory' | 'bull',
  makeOptions: () => Partial<TestAppOptions>,
  platform: TestPlatform = 'express',
): void {
  describe(`job control (${backend} on ${platform})`, () => {
    let t: TestApp;
    const unfinished = new Set<string>();

    const submit = (task: string, body: unknown, query = '') => t.http.post(`/tasks/${task}${query}`).send(body as object);
    const start = async (task: string, body: unknown, query = '') => {
      const res = await submit(task, body, query);
      expect(res.status).toBe(202);
      unfinished.add(res.body.id);
      return res.body.id as string;
    };
    const read = async (id: string) => (await t.http.get(`/tasks/${id}`)).body;
    const finished = async (id: string) => (await t.http.get(`/tasks/${id}/result?wait=${WAIT_S}`), read(id));
    const readUntil = (id: string, accept: (body: any) => boolean, what: string) =>
      eventually(async () => {
        const body = await read(id);
        return accept(body) ? body : undefined;
      }, WAIT_MS, what);

    beforeAll(async () => {
      t = await createTestApp({ ...makeOptions(), backend, platform });
    });

    afterEach(async () => {
      for (const id of unfinished) await t.http.delete(`/tasks/${id}`);
      unfinished.clear();
    });

    afterAll(async () => {
      await t?.close();
    });

    describe('delay', () => {
      it('?delay=1.5: pending with runAt = createdAt + 1.5 s, and not started before runAt', async () => {
        const res = await submit('noop', {}, '?delay=1.5');
        expect(res.status).toBe(202);
        const pending = await read(res.body.id);
        expect(pending).toMatchObject({ status: 'pending', priority: null });
        expect(pending.runAt).toMatch(ISO);
        expect(Date.parse(pending.runAt) - Date.parse(pending.createdAt)).toBe(1500);
        const done = await finished(res.body.id);
        expect(done.status).toBe('completed');
        expect(Date.parse(done.startedAt)).toBeGreaterThanOrEqual(Date.parse(pending.runAt));
      });

      it('a delayed task is counted as delayed (stats and au_queue_jobs) and can be cancelled before it starts', async () => {
        const id = await start('factorial', { n: 3 }, '?delay=600');
        const stats = await t.http.get('/tasks/stats');
        expect(stats.body.queues.factorial.delayed).toBe(1);
        const metrics = await t.http.get('/metrics');
        expect(metrics.text).toContain('au_queue_jobs{task="factorial",state="delayed"} 1');
        const cancelled = await t.http.delete(`/tasks/${id}`);
        expect(cancelled.body).toMatchObject({ status: 'cancelled', attempts: 0 });
        // The memory backend lists a task's counts once it has had work; a cancelled delayed task is none.
        expect((await t.http.get('/tasks/stats')).body.queues.factorial?.delayed ?? 0).toBe(0);
      });

      it.each(['-1', '2592001', 'abc', 'NaN', 'Infinity'])('?delay=%s: 400 naming delay', async (delay) => {
        expectBadField(await submit('noop', {}, `?delay=${delay}`), 'delay');
      });

      it('delayMs from code, and a delayMs out of range rejects with InvalidSubmitOptionError (400)', async () => {
        const tasks = t.app.get(TaskService);
        const handle = await tasks.submit('noop', {}, { delayMs: 300 });
        const record = await handle.record();
        expect(record.runAt).toBe(record.createdAt + 300);
        await expect(handle.result({ timeoutMs: WAIT_MS })).resolves.toBeNull();
        await expect(tasks.submit('noop', {}, { delayMs: -5 })).rejects.toBeInstanceOf(InvalidSubmitOptionError);
        await expect(tasks.submit('noop', {}, { priority: 0 })).rejects.toThrow(/priority must be an integer from 1/);
      });
    });

    describe('priority', () => {
      it('lower numbers start first on a concurrency-1 task, ties in submission order, unprioritized last', async () => {
        const holder = await start('ordered', { tag: 'hold', holdMs: 30_000 });
        await readUntil(holder, (b) => b.status === 'running', 'the holder to run');
        const ids: Record<string, string> = {};
        for (const [tag, query] of [['p5', '?priority=5'], ['p1', '?priority=1'], ['none', ''], ['p1b', '?priority=1'], ['p1000', '?priority=1000']]) {
          ids[tag] = await start('ordered', { tag }, query);
        }
        expect(await read(ids.p5)).toMatchObject({ status: 'pending', priority: 5, runAt: null });
        await t.http.delete(`/tasks/${holder}`);
        const places: [string, number][] = [];
        for (const [tag, id] of Object.entries(ids)) {
          const done = await (await t.http.get(`/tasks/${id}/result?wait=${WAIT_S}`)).body;
          expect(done.status).toBe('completed');
          places.push([tag, done.result.place]);
        }
        expect(places.sort((a, b) => a[1] - b[1]).map(([tag]) => tag)).toEqual(['p1', 'p1b', 'p5', 'p1000', 'none']);
      });

      it.each(['0', '1001', '1.5', 'high'])('?priority=%s: 400 naming priority', async (priority) => {
        expectBadField(await submit('noop', {}, `?priority=${priority}`), 'priority');
      });

      it('the result route takes no delay or priority', async () => {
        const { body } = await submit('noop', {}, `?wait=${WAIT_S}`);
        const res = await t.http.get(`/tasks/${body.id}/result?priority=1`);
        expect(res.status).toBe(400);
      });
    });

    describe('retry', () => {
      // flaky throws while ctx.attempt <= failTimes: attempt 6 (the first of the retry) throws once more, and the retry's
      // own attempts carry it to "ok" on attempt 7.
      it('a failed flaky {failTimes: 6} retried: pending with the same id, attempts going on to "ok" (attempt 7)', async () => {
        const { body: failed } = await submit('flaky', { failTimes: 6 }, `?wait=${WAIT_S}`);
        expect(failed).toMatchObject({ status: 'failed', attempts: 5, maxAttempts: 5 });
        const dead = await t.http.get('/tasks?task=flaky&status=failed&limit=100');
        expect(dead.body.items.map((i: { id: string }) => i.id)).toContain(failed.id);
        const retried = await t.http.post(`/tasks/${failed.id}/retry`);
        expect(retried.status).toBe(202);
        expect(retried.headers.location).toBe(`/tasks/${failed.id}`);
        expect(retried.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 5, maxAttempts: 10, error: null, finishedAt: null });
        const result = await t.http.get(`/tasks/${failed.id}/result?wait=${WAIT_S}`);
        expect(result.body).toEqual({ id: failed.id, status: 'completed', result: 'ok' });
        expect(await read(failed.id)).toMatchObject({ status: 'completed', attempts: 7, maxAttempts: 10, error: null });
      });

      it('handle.retry() runs a failed task again from code: flaky {failTimes: 5} gives "ok" on attempt 6', async () => {
        const handle = await t.app.get(TaskService).submit<string>('flaky', { failTimes: 5 });
        await expect(handle.result({ timeoutMs: WAIT_MS })).rejects.toBeInstanceOf(TaskFailedError);
        await expect(handle.retry()).resolves.toMatchObject({ id: handle.id, status: 'pending', attempts: 5, maxAttempts: 10 });
        await expect(handle.result({ timeoutMs: WAIT_MS })).resolves.toBe('ok');
        await expect(handle.record()).resolves.toMatchObject({ status: 'completed', attempts: 6 });
      });

      it('a task cancelled while pending runs when retried, with its input', async () => {
        const holder = await start('ordered', { tag: 'hold', holdMs: 30_000 });
        await readUntil(holder, (b) => b.status === 'running', 'the holder to run');
        const waiting = await start('ordered', { tag: 'again' });
        expect((await t.http.delete(`/tasks/${waiting}`)).body).toMatchObject({ status: 'cancelled', attempts: 0 });
        const retried = await t.http.post(`/tasks/${waiting}/retry`);
        expect(retried.status).toBe(202);
        expect(retried.body).toMatchObject({ status: 'pending', maxAttempts: 1 });
        await t.http.delete(`/tasks/${holder}`);
        const result = await t.http.get(`/tasks/${waiting}/result?wait=${WAIT_S}`);
        expect(result.body).toMatchObject({ status: 'completed', result: { tag: 'again' } });
        expect(await read(waiting)).toMatchObject({ status: 'completed', attempts: 1 });
      });

      it('a task cancelled while running runs again when retried: attempt 2', async () => {
        const id = await start('cancel-probe', { ms: 30_000 });
        await readUntil(id, (b) => b.status === 'running', 'the probe to run');
        expect((await t.http.delete(`/tasks/${id}`)).body).toMatchObject({ status: 'cancelled' });
        const cancelled = await readUntil(id, (b) => b.status === 'cancelled' && b.attempts === 1, 'the cancelled record');
        expect(cancelled.error).toMatchObject({ name: 'TaskCancelledError' });
        expect((await t.http.post(`/tasks/${id}/retry`)).status).toBe(202);
        await readUntil(id, (b) => b.status === 'running' && b.attempts === 2, 'attempt 2 to run');
      });

      it('pending, running or completed: 409 naming the status; an unknown id: 404', async () => {
        const { body: done } = await submit('noop', {}, `?wait=${WAIT_S}`);
        const completed = await t.http.post(`/tasks/${done.id}/retry`);
        expect(completed.status).toBe(409);
        expect(completed.body).toMatchObject({ statusCode: 409, status: 'completed', id: done.id });
        expect(completed.body.message).toMatch(/is completed; only failed or cancelled tasks can be retried/);
        const pending = await start('factorial', { n: 3 }, '?delay=600');
        expect((await t.http.post(`/tasks/${pending}/retry`)).body).toMatchObject({ statusCode: 409, status: 'pending' });
        const running = await start('cancel-probe', { ms: 30_000 });
        await readUntil(running, (b) => b.status === 'running', 'the probe to run');
        expect((await t.http.post(`/tasks/${running}/retry`)).body).toMatchObject({ statusCode: 409, status: 'running' });
        const unknown = await t.http.post('/tasks/00000000-0000-4000-8000-000000000000/retry');
        expect(unknown.status).toBe(404);
        expect((await t.http.post('/tasks/not-an-id/retry')).status).toBe(404);
      });
    });

    describe('dead-letter list', () => {
      let short: TestApp;

      beforeAll(async () => {
        const options = makeOptions();
        short = await createTestApp({
          ...options,
          backend,
          platform,
          resultTtlSeconds: 1,
          ...(options.prefix ? { prefix: `${options.prefix}-dl` } : {}),
        });
      });

      afterAll(async () => {
        await short?.close();
      });

      it('failed tasks outlive completed ones (failedTtlSeconds, default 7 days) and stay listed as failed', async () => {
        const { body: failed } = await short.http.post(`/tasks/fail?wait=${WAIT_S}`).send({ message: 'dead letter' });
        const { body: done } = await short.http.post(`/tasks/noop?wait=${WAIT_S}`).send({});
        expect([failed.status, done.status]).toEqual(['failed', 'completed']);
        await eventually(async () => (await short.http.get(`/tasks/${done.id}`)).status === 404, 5000, 'the completed record to expire');
        expect((await short.http.get(`/tasks/${failed.id}`)).body).toMatchObject({ status: 'failed', error: { message: 'dead letter' } });
        const dead = await short.http.get('/tasks?status=failed');
        expect(dead.body.items.map((i: { id: string }) => i.id)).toContain(failed.id);
        expect((await short.http.post(`/tasks/${failed.id}/retry`)).status).toBe(202);
      });
    });

    describe('schedules', () => {
      it('GET /tasks/schedules is empty without scheduled tasks (the heartbeat has none without DEMO_HEARTBEAT_MS)', async () => {
        const res = await t.http.get('/tasks/schedules');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ items: [] });
        expect((await submit('heartbeat', {}, `?wait=${WAIT_S}`)).body).toMatchObject({ status: 'completed', result: { at: expect.stringMatching(ISO) } });
      });
    });

    describe('OpenAPI', () => {
      it('documents ?delay and ?priority on submit, runAt and priority on records, retry and schedules', async () => {
        const doc = (await t.http.get('/docs-json')).body;
        const submitOp = doc.paths['/tasks/noop'].post;
        const params = submitOp.parameters.filter((p: { in: string }) => p.in === 'query');
        expect(params.map((p: { name: string }) => p.name).sort()).toEqual(['delay', 'priority', 'wait']);
        expect(params.find((p: { name: string }) => p.name === 'priority').schema).toMatchObject({ minimum: 1, maximum: 1000 });
        expect(doc.components.schemas.TaskView.properties).toHaveProperty('runAt');
        expect(doc.components.schemas.TaskView.properties).toHaveProperty('priority');
        expect(doc.paths['/tasks/{id}/retry'].post.responses).toHaveProperty('202');
        expect(doc.paths['/tasks/{id}/retry'].post.responses).toHaveProperty('409');
        expect(doc.paths['/tasks/schedules'].get.operationId).toBe('listSchedules');
      });
    });
  });
}
