import {
  TaskFailedError,
  TaskHooks,
  TaskResultTimeoutError,
  TaskService,
  UnknownTaskException,
  type TaskLifecycleHooks,
} from '@au/nestjs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, TestApp, TestPlatform } from '../fixtures/create-test-app';
import { FixtureTasks } from '../fixtures/fixture.tasks';
import type { TestAppOptions } from '../fixtures/test-app.module';
import { validateOpenApi } from '../fixtures/validate-openapi';
import { eventually } from '../harness/http-client';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
/** Bound of every wait through the API: generous, since a Bull run crosses Redis. */
const WAIT_S = 10;
const WAIT_MS = WAIT_S * 1000;

/** The 400 body of au's validation: every message, and the messages of each bad field by path. */
function expectFieldErrors(res: Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body.statusCode).toBe(400);
  expect(Array.isArray(res.body.message)).toBe(true);
  expect((res.body.message as string[]).some((m) => new RegExp(`\\b${field}\\b`).test(m))).toBe(true);
  expect(res.body.fields).toHaveProperty([field]);
  expect(res.body.fields[field].length).toBeGreaterThan(0);
}

/** Resolves once the clock has moved past `ms`, so the next record gets a later createdAt (not a sleep). */
async function untilClockPasses(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The HTTP (and programmatic) contract of au, for any backend on either HTTP platform: `makeOptions()` gives the
 * app's options (for Bull a redis URL and a fresh prefix), `platform` the adapter (default Express). Nothing here
 * assumes in-process timing: every wait goes through the API (`?wait=` or a bounded poll of `GET /tasks/{id}`), never
 * a fixed sleep. Nothing here depends on the platform either: the same assertions hold on Express and Fastify.
 */
export function describeTaskContract(
  backend: 'memory' | 'bull',
  makeOptions: () => Partial<TestAppOptions>,
  platform: TestPlatform = 'express',
): void {
  describe(`task contract (${backend} on ${platform})`, () => {
    let t: TestApp;
    /** Tasks that may still be pending or running; cancelled after each test so the next one finds free lanes. */
    const unfinished = new Set<string>();

    const submit = (task: string, body: unknown, query = '') => t.http.post(`/tasks/${task}${query}`).send(body as object);
    const read = (id: string) => t.http.get(`/tasks/${id}`);
    /** Submits and remembers the task for cleanup. */
    const start = async (task: string, body: unknown, query = '') => {
      const res = await submit(task, body, query);
      expect(res.status).toBe(202);
      unfinished.add(res.body.id);
      return res;
    };
    /** Submits with `?wait=` and expects it finished (200). */
    const run = async (task: string, body: unknown) => {
      const res = await submit(task, body, `?wait=${WAIT_S}`);
      expect(res.status).toBe(200);
      return res;
    };
    /** Polls `GET /tasks/{id}` (bounded) until `accept` holds; resolves with that body. */
    const readUntil = (id: string, accept: (body: any) => boolean, what: string) =>
      eventually(
        async () => {
          const res = await read(id);
          return res.status === 200 && accept(res.body) ? res.body : undefined;
        },
        WAIT_MS,
        what,
      );
    const cancel = (id: string) => t.http.delete(`/tasks/${id}`);
    /** The reason a probe task's own ctx.signal aborted with, once it did (bounded). */
    const signalAbortOf = (id: string) =>
      eventually(async () => t.app.get(FixtureTasks, { strict: false }).aborted.get(id), WAIT_MS, 'the probe to see its signal abort');
    /** A finished task of `task` answers 200, then 404 (GET, result and list) once its TTL passed. */
    const expires = async (http: TestApp['http'], task: string) => {
      const { body } = await http.post(`/tasks/${task}?wait=${WAIT_S}`).send({});
      expect(body.status).toBe('completed');
      expect((await http.get(`/tasks/${body.id}`)).status).toBe(200);
      await eventually(async () => (await http.get(`/tasks/${body.id}`)).status === 404, 5000, 'the record to expire');
      const gone = await http.get(`/tasks/${body.id}`);
      expect(gone.body).toMatchObject({ statusCode: 404 });
      expect((await http.get(`/tasks/${body.id}/result`)).status).toBe(404);
      const listed = await http.get('/tasks').query({ task, limit: 100 });
      expect(listed.body.items.map((item: any) => item.id)).not.toContain(body.id);
    };

    beforeAll(async () => {
      t = await createTestApp({ ...makeOptions(), backend, platform });
    });

    afterEach(async () => {
      for (const id of unfinished) await cancel(id);
      unfinished.clear();
    });

    afterAll(async () => {
      await t?.close();
    });

    describe('POST /tasks/{name}', () => {
      it('answers 202 with the accepted task and a Location header equal to links.self', async () => {
        const res = await submit('noop', {});
        expect(res.status).toBe(202);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'id', 'links', 'requestId', 'status', 'task']);
        const { id } = res.body;
        expect(id).toMatch(UUID_V4);
        expect(res.body).toMatchObject({ task: 'noop', status: 'pending' });
        expect(res.body.createdAt).toMatch(ISO);
        expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(60_000);
        expect(res.body.links).toEqual({ self: `/tasks/${id}`, result: `/tasks/${id}/result` });
        expect(res.headers.location).toBe(res.body.links.self);
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      });

      it('records the caller\'s X-Request-ID as requestId', async () => {
        const res = await submit('noop', {}).set('X-Request-ID', 'contract-req-1');
        expect(res.status).toBe(202);
        expect(res.headers['x-request-id']).toBe('contract-req-1');
        expect(res.body.requestId).toBe('contract-req-1');
      });

      it('?wait=N answers 200 with the finished record and its result when it ends in time', async () => {
        const res = await submit('factorial', { n: 20 }, '?wait=5');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          task: 'factorial',
          status: 'completed',
          result: '2432902008176640000',
          attempts: 1,
          error: null,
          links: { self: `/tasks/${res.body.id}`, result: `/tasks/${res.body.id}/result` },
        });
        expect(res.body.id).toMatch(UUID_V4);
        expect(res.body.finishedAt).toMatch(ISO);
        expect(res.headers.location).toBe(`/tasks/${res.body.id}`);
      });

      it('?wait=N answers the record as stored: GET /tasks/{id} and /result right after give the same', async () => {
        const sameAsStored = async (res: { body: { id: string; result: unknown } }) => {
          const { result, ...record } = res.body;
          expect((await read(res.body.id)).body).toEqual(record);
          expect((await t.http.get(`/tasks/${res.body.id}/result`)).body).toEqual({ id: res.body.id, status: 'completed', result });
        };
        const slept = await submit('sleep', { ms: 30 }, '?wait=5').set('X-Request-ID', 'contract-wait-1');
        expect(slept.status).toBe(200);
        expect(slept.body).toMatchObject({ status: 'completed', requestId: 'contract-wait-1', attempts: 1, progress: 100 });
        await sameAsStored(slept);
        await sameAsStored(await submit('factorial', { n: 5 }, '?wait=5'));
      });

      it('?wait=N answers 202 when the task is still unfinished after N seconds', async () => {
        const res = await submit('sleep', { ms: 60_000 }, '?wait=1');
        unfinished.add(res.body.id);
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ task: 'sleep' });
        expect(['pending', 'running']).toContain(res.body.status);
        expect(res.headers.location).toBe(`/tasks/${res.body.id}`);
      });

      it.each(['31', '-1', 'abc'])('?wait=%s is out of range: 400 naming wait', async (wait) => {
        const res = await submit('noop', {}, `?wait=${wait}`);
        expectFieldErrors(res, 'wait');
      });
    });

    describe('GET /tasks/{id}', () => {
      it('shows status, attempts, progress and timings of a finished task', async () => {
        const { body: done } = await run('factorial', { n: 10 });
        const res = await read(done.id);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(
          expect.objectContaining({
            id: done.id,
            task: 'factorial',
            status: 'completed',
            attempts: 1,
            createdAt: expect.stringMatching(ISO),
            startedAt: expect.stringMatching(ISO),
            finishedAt: expect.stringMatching(ISO),
            durationMs: expect.any(Number),
            error: null,
          }),
        );
        expect(res.body).toHaveProperty('progress');
        const { createdAt, startedAt, finishedAt, durationMs } = res.body;
        expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(Date.parse(createdAt));
        expect(durationMs).toBe(Date.parse(finishedAt) - Date.parse(startedAt));
        expect(durationMs).toBeGreaterThanOrEqual(0);
      });

      it('shows the error of a failed task as { name, message }', async () => {
        const { body: done } = await run('fail', { message: 'boom' });
        const res = await read(done.id);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'failed', attempts: 1, error: { name: 'Error', message: 'boom' } });
        expect(Object.keys(res.body.error).sort()).toEqual(['message', 'name']);
        expect(res.body.finishedAt).toMatch(ISO);
      });

      it('shows a pending task with null timings', async () => {
        const blocker = await start('sleep', { ms: 600_000 });
        const waiting = await start('sleep', { ms: 1 });
        const res = await read(waiting.body.id);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: waiting.body.id, status: 'pending', attempts: 0, startedAt: null, finishedAt: null, durationMs: null, error: null });
        expect(blocker.body.id).not.toBe(waiting.body.id);
      });
    });

    describe('GET /tasks/{id}/result', () => {
      it('answers 200 with { id, status: "completed", result }', async () => {
        const { body } = await start('factorial', { n: 20 });
        const res = await t.http.get(`/tasks/${body.id}/result?wait=${WAIT_S}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: body.id, status: 'completed', result: '2432902008176640000' });
      });

      it('answers 202 with a Retry-After header while the task is unfinished', async () => {
        const { body } = await start('sleep', { ms: 5000 });
        const res = await t.http.get(`/tasks/${body.id}/result?wait=0`);
        expect(res.status).toBe(202);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.body).toMatchObject({ id: body.id, task: 'sleep' });
        expect(['pending', 'running']).toContain(res.body.status);
      });

      it('answers 409 with the status and error of a failed task', async () => {
        const { body } = await start('fail', { message: 'no result here' });
        const res = await t.http.get(`/tasks/${body.id}/result?wait=${WAIT_S}`);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({
          statusCode: 409,
          id: body.id,
          status: 'failed',
          error: { name: 'Error', message: 'no result here' },
        });
        expect(res.body.message).toMatch(/failed/);
      });

      it('answers 409 with the status of a cancelled task', async () => {
        const { body } = await start('sleep', { ms: 600_000 });
        expect((await cancel(body.id)).status).toBe(200);
        const res = await t.http.get(`/tasks/${body.id}/result?wait=${WAIT_S}`);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ statusCode: 409, id: body.id, status: 'cancelled' });
        expect(res.body.message).toMatch(/cancelled/);
      });

      it.each(['31', '-1', 'abc'])('?wait=%s is out of range: 400 naming wait', async (wait) => {
        const { body } = await run('noop', {});
        expectFieldErrors(await t.http.get(`/tasks/${body.id}/result?wait=${wait}`), 'wait');
      });
    });

    describe('DELETE /tasks/{id}', () => {
      it('cancels a pending task, which never runs', async () => {
        // sleep has concurrency 1: the second one waits behind the first.
        const first = await start('sleep', { ms: 600_000 });
        await readUntil(first.body.id, (b) => b.status === 'running', 'the first sleep to run');
        const second = await start('sleep', { ms: 1000 });
        expect((await read(second.body.id)).body.status).toBe('pending');

        const cancelled = await cancel(second.body.id);
        expect(cancelled.status).toBe(200);
        expect(cancelled.body).toMatchObject({ id: second.body.id, status: 'cancelled', startedAt: null });
        expect((await cancel(first.body.id)).status).toBe(200);

        // The lane moves on: a later sleep runs to completion, so the cancelled one was passed over.
        const later = await run('sleep', { ms: 1 });
        expect(later.body.status).toBe('completed');
        const res = await read(second.body.id);
        expect(res.body).toMatchObject({ status: 'cancelled', startedAt: null, attempts: 0 });
        expect(res.body.finishedAt).toMatch(ISO);
      });

      it('cancels a running task: its signal aborts and it ends cancelled', async () => {
        const { body } = await start('sleep', { ms: 600_000 });
        await readUntil(body.id, (b) => b.status === 'running', 'the sleep to run');
        const res = await cancel(body.id);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: body.id, status: 'cancelled' });
        const result = await t.http.get(`/tasks/${body.id}/result?wait=${WAIT_S}`);
        expect(result.status).toBe(409);
        expect(result.body.status).toBe('cancelled');
        const final = (await read(body.id)).body;
        expect(final).toMatchObject({ status: 'cancelled', attempts: 1, error: { name: 'TaskCancelledError' } });
        expect(final.startedAt).toMatch(ISO);
        expect(final.finishedAt).toMatch(ISO);
      });

      it('aborts the running task\'s ctx.signal with TaskCancelledError', async () => {
        const { body } = await start('cancel-probe', { ms: 60_000 });
        await readUntil(body.id, (b) => b.status === 'running', 'the probe to run');
        expect((await cancel(body.id)).status).toBe(200);
        await expect(signalAbortOf(body.id)).resolves.toBe('TaskCancelledError');
        expect((await read(body.id)).body.status).toBe('cancelled');
      });

      it('answers 409 for a finished task, naming its status', async () => {
        const { body } = await run('noop', {});
        const res = await cancel(body.id);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', id: body.id, status: 'completed' });
        expect(res.body.message).toMatch(/already completed/);
        expect((await read(body.id)).body.status).toBe('completed');
      });
    });

    describe('GET /tasks', () => {
      it('lists newest first and pages through nextCursor without duplicates', async () => {
        const ids: string[] = [];
        let last = 0;
        for (let i = 0; i < 5; i++) {
          await untilClockPasses(last);
          const { body } = await run('noop', {});
          ids.push(body.id);
          last = Date.parse(body.createdAt);
        }
        const seen: any[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: Response = await t.http.get('/tasks').query({ task: 'noop', limit: 2, ...(cursor ? { cursor } : {}) });
          expect(res.status).toBe(200);
          expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
          expect(res.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...res.body.items);
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 200);
        expect(cursor).toBeNull();
        const seenIds = seen.map((item) => item.id);
        expect(new Set(seenIds).size).toBe(seenIds.length);
        expect(seen.every((item) => item.task === 'noop')).toBe(true);
        const times = seen.map((item) => Date.parse(item.createdAt));
        expect(times).toEqual([...times].sort((a, b) => b - a));
        expect(seenIds.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
        expect(pages).toBeGreaterThanOrEqual(3);
        // The newest is first on the first page.
        const first = await t.http.get('/tasks').query({ task: 'noop', limit: 2 });
        expect(first.body.items[0].id).toBe(ids[4]);
        expect(first.body.items[1].id).toBe(ids[3]);
        expect(first.body.items[0]).toMatchObject({ status: 'completed', links: { self: `/tasks/${ids[4]}` } });
      });

      it('filters by task and by status', async () => {
        const failed = (await run('fail', { message: 'listed' })).body.id;
        const completed = (await run('noop', {})).body.id;
        const byTask = await t.http.get('/tasks').query({ task: 'fail', limit: 100 });
        expect(byTask.status).toBe(200);
        expect(byTask.body.items.every((item: any) => item.task === 'fail')).toBe(true);
        expect(byTask.body.items.map((item: any) => item.id)).toContain(failed);

        const byStatus = await t.http.get('/tasks').query({ status: 'failed', limit: 100 });
        expect(byStatus.status).toBe(200);
        expect(byStatus.body.items.every((item: any) => item.status === 'failed')).toBe(true);
        expect(byStatus.body.items.map((item: any) => item.id)).toContain(failed);
        expect(byStatus.body.items.map((item: any) => item.id)).not.toContain(completed);

        const both = await t.http.get('/tasks').query({ task: 'noop', status: 'completed', limit: 100 });
        expect(both.body.items.map((item: any) => item.id)).toContain(completed);
        expect(both.body.items.every((item: any) => item.task === 'noop' && item.status === 'completed')).toBe(true);
        const none = await t.http.get('/tasks').query({ task: 'noop', status: 'failed', limit: 100 });
        expect(none.body.items.map((item: any) => item.id)).not.toContain(completed);
      });

      it.each(['0', '101', 'x'])('limit=%s is rejected: 400 naming limit', async (limit) => {
        expectFieldErrors(await t.http.get('/tasks').query({ limit }), 'limit');
      });

      it('rejects a status that does not exist: 400 naming status', async () => {
        expectFieldErrors(await t.http.get('/tasks').query({ status: 'nope' }), 'status');
      });

      it('rejects a cursor no page produced: 400 naming cursor', async () => {
        const res = await t.http.get('/tasks').query({ cursor: 'not-a-cursor' });
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
        expect(JSON.stringify(res.body.message)).toMatch(/cursor/);
      });
    });

    describe('errors', () => {
      it('wrong field type: 400 naming the field', async () => {
        expectFieldErrors(await submit('factorial', { n: 'twenty' }), 'n');
      });

      it('out-of-range field: 400 naming the field', async () => {
        const res = await submit('factorial', { n: 5001 });
        expectFieldErrors(res, 'n');
        expect(res.body.fields.n.join(' ')).toMatch(/5000/);
      });

      it('missing field: 400 naming the field', async () => {
        expectFieldErrors(await submit('factorial', {}), 'n');
      });

      it('extra field: 400 naming the field', async () => {
        const res = await submit('factorial', { n: 3, extra: true });
        expectFieldErrors(res, 'extra');
        expect(res.body.message).toContain('property extra should not exist');
      });

      it('malformed JSON: 400 JSON with X-Request-ID', async () => {
        const res = await t.http.post('/tasks/factorial').set('Content-Type', 'application/json').send('{"n": 20');
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body.statusCode).toBe(400);
        expect(typeof res.body.message).toBe('string');
        expect(res.body.message.length).toBeGreaterThan(0);
        expect(res.headers['x-request-id']).toBeTruthy();
      });

      it('body over the limit (1 MB by default): 413 JSON with X-Request-ID', async () => {
        const body = JSON.stringify({ message: 'x'.repeat(1.5 * 1024 * 1024) });
        const res = await t.http.post('/tasks/fail').set('Content-Type', 'application/json').send(body);
        expect(res.status).toBe(413);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body.statusCode).toBe(413);
        expect(typeof res.body.message).toBe('string');
        expect(res.headers['x-request-id']).toBeTruthy();
      });

      it('unknown task name: 404 naming the route', async () => {
        const res = await submit('nope', {});
        expect(res.status).toBe(404);
        expect(res.body.statusCode).toBe(404);
        expect(res.body.message).toMatch(/\/tasks\/nope/);
      });

      it('unknown task id: 404 naming the id', async () => {
        const id = randomUUID();
        for (const res of [await read(id), await t.http.get(`/tasks/${id}/result`), await cancel(id)]) {
          expect(res.status).toBe(404);
          expect(res.body.statusCode).toBe(404);
          expect(res.body.message).toContain(id);
          expect(res.body.message).toMatch(/not found/);
        }
      });

      it.each([
        ['not-a-uuid', 'not-a-uuid'],
        ['a NUL byte', '%00'],
        ['500 characters', 'a'.repeat(500)],
        ['an upper-case non-v4 lookalike', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'],
      ])('malformed id (%s): 404 on GET, GET result and DELETE, never 500', async (_, id) => {
        for (const res of [await read(id), await t.http.get(`/tasks/${id}/result`), await cancel(id)]) {
          expect(res.status).toBe(404);
          expect(res.body.statusCode).toBe(404);
          expect(res.headers['content-type']).toMatch(/application\/json/);
        }
      });

      it('an id with broken percent-encoding: 400 JSON, never 500', async () => {
        for (const res of [await read('%E0%A4%A'), await t.http.get('/tasks/%FF/result'), await cancel('%E0%A4%A')]) {
          expect(res.status).toBe(400);
          expect(res.body.statusCode).toBe(400);
          expect(res.headers['x-request-id']).toBeTruthy();
        }
      });

      it('X-Request-ID: a sane one is echoed, a hostile one replaced by a UUIDv4, one made when absent', async () => {
        const sane = await read(randomUUID()).set('X-Request-ID', 'abc-123.x:y_z');
        expect(sane.headers['x-request-id']).toBe('abc-123.x:y_z');
        const hostile = await t.http.get('/tasks').set('X-Request-ID', '<script>alert(1)</script>');
        expect(hostile.status).toBe(200);
        expect(hostile.headers['x-request-id']).toMatch(UUID_V4);
        const tooLong = await submit('noop', {}).set('X-Request-ID', 'a'.repeat(129));
        expect(tooLong.headers['x-request-id']).toMatch(UUID_V4);
        expect(tooLong.body.requestId).toBe(tooLong.headers['x-request-id']);
        const none = await submit('factorial', { n: -1 });
        expect(none.status).toBe(400);
        expect(none.headers['x-request-id']).toMatch(UUID_V4);
      });
    });

    describe('retries', () => {
      it('flaky {failTimes: 2} completes on attempt 3', async () => {
        const { body } = await run('flaky', { failTimes: 2 });
        expect(body).toMatchObject({ status: 'completed', result: 'ok', attempts: 3, error: null });
        expect((await read(body.id)).body).toMatchObject({ status: 'completed', attempts: 3, maxAttempts: 5 });
      });

      it('flaky {failTimes: 6} fails after its 5 attempts', async () => {
        const { body } = await run('flaky', { failTimes: 6 });
        expect(body).toMatchObject({ status: 'failed', attempts: 5, error: { name: 'Error', message: 'flaky failure 5 of 6' } });
        expect((await read(body.id)).body).toMatchObject({ status: 'failed', attempts: 5 });
        const result = await t.http.get(`/tasks/${body.id}/result`);
        expect(result.status).toBe(409);
        expect(result.body.error).toEqual({ name: 'Error', message: 'flaky failure 5 of 6' });
      });
    });

    describe('timeout', () => {
      it('an attempt past timeoutMs fails with TaskTimeoutError and its ctx.signal aborts', async () => {
        const { body } = await run('timeout-probe', { ms: 10_000 });
        expect(body).toMatchObject({ status: 'failed', attempts: 1, error: { name: 'TaskTimeoutError' } });
        expect(body.error.message).toMatch(/200 ms/);
        await expect(signalAbortOf(body.id)).resolves.toBe('TaskTimeoutError');
        expect((await read(body.id)).body.status).toBe('failed');
      });
    });

    describe('progress', () => {
      it('a running sleep shows the progress it reports', async () => {
        const { body } = await start('sleep', { ms: 5000 });
        const seen = await readUntil(
          body.id,
          (b) => b.status === 'running' && typeof b.progress === 'number' && b.progress > 0,
          'progress above 0 while running',
        );
        expect(seen.progress).toBeLessThanOrEqual(100);
      });
    });

    describe('TTL', () => {
      it('a task\'s ttlSeconds: its finished record answers 200, then 404 once the TTL passed', async () => {
        await expires(t.http, 'short-lived');
      });
    });

    describe('module options', () => {
      let other: TestApp;

      beforeAll(async () => {
        const options = makeOptions();
        other = await createTestApp({
          ...options,
          backend,
          platform,
          resultTtlSeconds: 1,
          maxBodyBytes: 4096,
          // A Bull app of its own: other workers on the same prefix would apply their own TTL.
          ...(options.prefix ? { prefix: `${options.prefix}-opts` } : {}),
        });
      });

      afterAll(async () => {
        await other?.close();
      });

      it('resultTtlSeconds applies to every task without its own ttlSeconds', async () => {
        await expires(other.http, 'noop');
      });

      it('maxBodyBytes sets the body limit: 413 above it, accepted below', async () => {
        const over = await other.http.post('/tasks/fail').send({ message: 'x'.repeat(5000) });
        expect(over.status).toBe(413);
        expect(over.body.statusCode).toBe(413);
        expect(over.body.message).toMatch(/\b4096 bytes\b/);
        expect(over.headers['x-request-id']).toBeTruthy();
        const under = await other.http.post(`/tasks/fail?wait=${WAIT_S}`).send({ message: 'y'.repeat(900) });
        expect(under.status).toBe(200);
        expect(under.body.error).toEqual({ name: 'Error', message: 'y'.repeat(900) });
      });
    });

    describe('Swagger', () => {
      it('serves a valid OpenAPI document with one operation per task', async () => {
        const res = await t.http.get('/docs-json');
        expect(res.status).toBe(200);
        const doc = res.body;
        expect(await validateOpenApi(doc)).toBeNull();
        for (const task of ['factorial', 'sleep', 'flaky', 'fail', 'noop', 'timeout-probe', 'cancel-probe', 'short-lived']) {
          const op = doc.paths[`/tasks/${task}`]?.post;
          expect(op).toBeDefined();
          expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
          expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '200', '400']));
        }
        const operationIds = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
        expect(new Set(operationIds).size).toBe(operationIds.length);
        const factorial = doc.paths['/tasks/factorial'].post;
        expect(factorial.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/FactorialDto');
        expect(doc.components.schemas.FactorialDto.properties.n).toMatchObject({ minimum: 0, maximum: 5000 });
        expect(doc.components.schemas.FactorialDto.required).toContain('n');
        expect(doc.paths['/tasks/sleep'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SleepDto');
        expect(doc.paths['/tasks/{id}'].get).toBeDefined();
        expect(doc.paths['/tasks/{id}'].delete).toBeDefined();
        expect(doc.paths['/tasks/{id}/result'].get).toBeDefined();
        expect(doc.paths['/tasks'].get).toBeDefined();
        expect(doc.paths['/tasks/{id}/result'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['id', 'wait']));
      });

      it('serves the Swagger UI at /docs', async () => {
        const res = await t.http.get('/docs');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toMatch(/swagger/i);
      });
    });

    describe('TaskService (programmatic API)', () => {
      it('submit() returns a handle whose result() and status() follow the task', async () => {
        const tasks = t.app.get(TaskService);
        const handle = await tasks.submit<string>('factorial', { n: 5 });
        expect(handle.id).toMatch(UUID_V4);
        expect(handle.task).toBe('factorial');
        expect(STATUSES).toContain(await handle.status());
        await expect(handle.result({ timeoutMs: WAIT_MS })).resolves.toBe('120');
        await expect(handle.status()).resolves.toBe('completed');
        expect((await read(handle.id)).body).toMatchObject({ status: 'completed', task: 'factorial' });
      });

      it('result() called while the task runs resolves with the result the record holds', async () => {
        const tasks = t.app.get(TaskService);
        const handle = await tasks.submit<{ slept: number }>('sleep', { ms: 300 });
        expect(await handle.status()).not.toBe('completed');
        const result = await handle.result({ timeoutMs: WAIT_MS });
        expect(result.slept).toBeGreaterThanOrEqual(300);
        expect((await t.http.get(`/tasks/${handle.id}/result`)).body).toMatchObject({ status: 'completed', result });
      });

      it('handle.cancel() cancels a running sleep', async () => {
        const tasks = t.app.get(TaskService);
        const handle = await tasks.submit('sleep', { ms: 600_000 });
        unfinished.add(handle.id);
        await readUntil(handle.id, (b) => b.status === 'running', 'the sleep to run');
        const record = await handle.cancel();
        expect(record).toMatchObject({ id: handle.id, status: 'cancelled' });
        await expect(handle.result({ timeoutMs: WAIT_MS })).rejects.toBeInstanceOf(TaskFailedError);
        await expect(handle.status()).resolves.toBe('cancelled');
      });

      it('result() of a failed task rejects with TaskFailedError carrying the record', async () => {
        const handle = await t.app.get(TaskService).submit('fail', { message: 'from code' });
        const error = await handle.result({ timeoutMs: WAIT_MS }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TaskFailedError);
        expect(error).toMatchObject({ record: { id: handle.id, status: 'failed', error: { message: 'from code' } } });
      });

      it('result() with a too-short timeout rejects with TaskResultTimeoutError', async () => {
        const handle = await t.app.get(TaskService).submit('sleep', { ms: 60_000 });
        unfinished.add(handle.id);
        const error = await handle.result({ timeoutMs: 50 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TaskResultTimeoutError);
        expect(['pending', 'running']).toContain((error as TaskResultTimeoutError).record.status);
      });

      it('submit() of an unknown task rejects with UnknownTaskException', async () => {
        await expect(t.app.get(TaskService).submit('nope', {})).rejects.toBeInstanceOf(UnknownTaskException);
      });
    });

    describe('TaskHooks', () => {
      // The test app has role 'all' on every backend: submits and runs happen in this process, where hooks live.
      it('calls onSubmit, beforeRun, afterRun, onError and onCancel', async () => {
        const hooks = {
          onSubmit: jest.fn(),
          beforeRun: jest.fn(),
          afterRun: jest.fn(),
          onError: jest.fn(),
          onCancel: jest.fn(),
        } satisfies Required<TaskLifecycleHooks>;
        const unregister = t.app.get(TaskHooks).register(hooks);
        try {
          const ok = (await run('factorial', { n: 6 })).body;
          const bad = (await run('fail', { message: 'hooked' })).body;
          expect(hooks.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ id: ok.id, task: 'factorial' }));
          expect(hooks.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ id: bad.id, task: 'fail' }));
          expect(hooks.beforeRun).toHaveBeenCalledWith(expect.objectContaining({ id: ok.id, task: 'factorial', attempt: 1 }));
          expect(hooks.afterRun).toHaveBeenCalledWith(
            expect.objectContaining({ id: ok.id, task: 'factorial', attempt: 1, result: '720', durationMs: expect.any(Number) }),
          );
          expect(hooks.onError).toHaveBeenCalledWith(
            expect.objectContaining({ id: bad.id, task: 'fail', error: { name: 'Error', message: 'hooked' }, willRetry: false }),
          );
          const callsFor = (fn: jest.Mock, id: string) => fn.mock.calls.filter(([event]) => event.id === id);
          expect(callsFor(hooks.afterRun, bad.id)).toHaveLength(0);
          expect(callsFor(hooks.onError, ok.id)).toHaveLength(0);

          const sleeping = await start('sleep', { ms: 600_000 });
          await readUntil(sleeping.body.id, (b) => b.status === 'running', 'the sleep to run');
          expect((await cancel(sleeping.body.id)).status).toBe(200);
          await eventually(async () => callsFor(hooks.onCancel, sleeping.body.id).length > 0, WAIT_MS, 'onCancel');
          expect(callsFor(hooks.onCancel, sleeping.body.id)).toEqual([[{ id: sleeping.body.id, task: 'sleep', wasRunning: true }]]);
        } finally {
          unregister();
        }
      });
    });
  });
}
