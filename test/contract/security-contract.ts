import { TaskService } from '@au/nestjs';
import { connect } from 'node:net';
import type { Response } from 'supertest';
import { DemoAuthService } from '../../src/demo/demo-auth.service';
import { createTestApp, TestApp, TestPlatform } from '../fixtures/create-test-app';
import type { TestAppOptions } from '../fixtures/test-app.module';
import { validateOpenApi } from '../fixtures/validate-openapi';
import { eventually } from '../harness/http-client';

/** Bound of every wait through the API: generous, since a Bull run crosses Redis. */
const WAIT_S = 10;

const bearer = (name: string) => ({ Authorization: `Bearer ${name}` });

/** A 4xx JSON answer naming the problem. */
function expectError(res: Response, status: number, message: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body.statusCode).toBe(status);
  expect(String(res.body.message)).toMatch(message);
}

/**
 * au's routes behind the app's own guard, with tasks scoped by owner and idempotent submits: the reference app's
 * DEMO_AUTH=on options (a bearer guard that injects DemoAuthService from a module of the app), for any backend on
 * either HTTP platform. Callers are `alice`, `bob` and `admin`.
 */
export function describeSecurityContract(
  backend: 'memory' | 'bull',
  makeOptions: () => Partial<TestAppOptions>,
  platform: TestPlatform = 'express',
): void {
  describe(`security contract (${backend} on ${platform})`, () => {
    let t: TestApp;
    const as = (name: string) => ({
      submit: (task: string, body: unknown, query = '') => t.http.post(`/tasks/${task}${query}`).set(bearer(name)).send(body as object),
      get: (path: string) => t.http.get(path).set(bearer(name)),
      delete: (path: string) => t.http.delete(path).set(bearer(name)),
    });
    const alice = as('alice');
    const bob = as('bob');
    /** A key no other test uses. */
    let keys = 0;
    const freshKey = () => `key-${backend}-${platform}-${Date.now()}-${++keys}`;

    beforeAll(async () => {
      t = await createTestApp({ ...makeOptions(), backend, platform, auth: true });
    });

    afterAll(async () => {
      await t?.close();
    });

    describe('the app\'s guard on every au route', () => {
      it.each([
        ['POST', '/tasks/noop'],
        ['GET', '/tasks'],
        ['GET', '/tasks/stats'],
        ['GET', '/tasks/00000000-0000-4000-8000-000000000000'],
        ['GET', '/tasks/00000000-0000-4000-8000-000000000000/result'],
        ['DELETE', '/tasks/00000000-0000-4000-8000-000000000000'],
      ])('%s %s answers 401 JSON without a caller, and with a malformed one', async (method, path) => {
        const call = (headers: Record<string, string>) =>
          (method === 'POST' ? t.http.post(path).send({}) : method === 'DELETE' ? t.http.delete(path) : t.http.get(path)).set(headers);
        const anonymous = await call({});
        expectError(anonymous, 401, /Authorization: Bearer/);
        expect(anonymous.headers['www-authenticate']).toBe('Bearer');
        expectError(await call(bearer('Alice')), 401, /Authorization: Bearer/);
        expectError(await call({ Authorization: 'Basic YWxpY2U6eA==' }), 401, /Authorization: Bearer/);
        expectError(await call(bearer('a'.repeat(33))), 401, /Authorization: Bearer/);
      });

      it('checks the caller before the body: 401 for an invalid body without a caller', async () => {
        expectError(await t.http.post('/tasks/factorial').send({ n: 'x' }), 401, /Authorization: Bearer/);
      });

      it('resolves the guard\'s injected DemoAuthService from the app\'s module (http.imports)', async () => {
        const auth = t.app.get(DemoAuthService, { strict: false });
        const calls = jest.spyOn(auth, 'callerOf');
        expect((await alice.submit('noop', {})).status).toBe(202);
        expect(calls).toHaveBeenCalledWith('Bearer alice');
        calls.mockRestore();
      });

      it('applies a task\'s own decorators (roles metadata, guard, interceptor) to its submit route only', async () => {
        const denied = await bob.submit('admin-only', {});
        expectError(denied, 403, /Forbidden/);
        const allowed = await as('admin').submit('admin-only', {}, `?wait=${WAIT_S}`);
        expect(allowed.status).toBe(200);
        expect(allowed.body).toMatchObject({ task: 'admin-only', status: 'completed', result: 'done' });
        expect(allowed.headers['x-secured-route']).toBe('yes');
        const other = await bob.submit('noop', {});
        expect(other.status).toBe(202);
        expect(other.headers['x-secured-route']).toBeUndefined();
        expect((await as('admin').get(`/tasks/${allowed.body.id}`)).headers['x-secured-route']).toBeUndefined();
      });

      it('reserves GET /tasks/stats to the callers statsAccess allows', async () => {
        expectError(await alice.get('/tasks/stats'), 403, /reserved/);
        const stats = await as('admin').get('/tasks/stats');
        expect(stats.status).toBe(200);
        expect(stats.body.tasks).toBeDefined();
      });
    });

    describe('owner scoping', () => {
      it('lets A read, wait for and list its task, and answers B 404 on each, as for an unknown id', async () => {
        const mine = await alice.submit('factorial', { n: 5 }, `?wait=${WAIT_S}`);
        expect(mine.status).toBe(200);
        const { id } = mine.body;
        expect((await alice.get(`/tasks/${id}`)).body).toMatchObject({ id, status: 'completed' });
        expect((await alice.get(`/tasks/${id}/result`)).body).toEqual({ id, status: 'completed', result: '120' });
        const unknown = await bob.get('/tasks/00000000-0000-4000-8000-000000000000');
        for (const res of [await bob.get(`/tasks/${id}`), await bob.get(`/tasks/${id}/result?wait=1`), await bob.delete(`/tasks/${id}`)]) {
          expectError(res, 404, /not found/);
          expect(Object.keys(res.body).sort()).toEqual(Object.keys(unknown.body).sort());
        }
        expect((await alice.get(`/tasks/${id}`)).body.status).toBe('completed');
      });

      it('lets B not cancel A\'s running task; A cancels it', async () => {
        const running = await alice.submit('sleep', { ms: 30_000 });
        expect(running.status).toBe(202);
        const { id } = running.body;
        expectError(await bob.delete(`/tasks/${id}`), 404, /not found/);
        expect(['pending', 'running']).toContain((await alice.get(`/tasks/${id}`)).body.status);
        const cancelled = await alice.delete(`/tasks/${id}`);
        expect(cancelled.status).toBe(200);
        expect(cancelled.body.status).toBe('cancelled');
      });

      it('lists only the caller\'s tasks, with every filter', async () => {
        const requestId = `owners-${backend}-${platform}-${Date.now()}`;
        const a = await alice.submit('noop', {}).set('X-Request-ID', requestId);
        const b = await bob.submit('noop', {}).set('X-Request-ID', requestId);
        expect([a.status, b.status]).toEqual([202, 202]);
        const ids = async (who: ReturnType<typeof as>, query: string) =>
          ((await who.get(`/tasks?${query}`)).body.items as { id: string }[]).map((item) => item.id);
        expect(await ids(alice, `requestId=${requestId}`)).toEqual([a.body.id]);
        expect(await ids(bob, `requestId=${requestId}`)).toEqual([b.body.id]);
        const alicesNoops = await ids(alice, 'task=noop&limit=100');
        expect(alicesNoops).toContain(a.body.id);
        expect(alicesNoops).not.toContain(b.body.id);
        const all = await ids(bob, 'limit=100');
        expect(all).toContain(b.body.id);
        expect(all).not.toContain(a.body.id);
      });

      it('gives the task ctx.owner, and children submitted by a task inherit the owner', async () => {
        const who = await alice.submit('whoami', {}, `?wait=${WAIT_S}`);
        expect(who.body.result).toEqual({ owner: 'alice' });
        const fanout = await alice.submit('fanout', { n: 2 }, `?wait=${WAIT_S}`);
        expect(fanout.status).toBe(200);
        for (const child of fanout.body.result as string[]) {
          expect((await alice.get(`/tasks/${child}`)).status).toBe(200);
          expectError(await bob.get(`/tasks/${child}`), 404, /not found/);
        }
      });

      it('leaves TaskService unscoped unless given an owner', async () => {
        const tasks = t.app.get(TaskService);
        const mine = await alice.submit('noop', {});
        expect(await tasks.get(mine.body.id)).toMatchObject({ id: mine.body.id, owner: 'alice' });
        expect(await tasks.get(mine.body.id, { owner: 'bob' })).toBeUndefined();
        const handle = await tasks.submit('noop', {}, { owner: 'bob' });
        expect((await bob.get(`/tasks/${handle.id}`)).status).toBe(200);
        expect((await alice.get(`/tasks/${handle.id}`)).status).toBe(404);
        const page = await tasks.list({ owner: 'bob', limit: 100 });
        expect(page.items.every((r) => r.owner === 'bob')).toBe(true);
        expect(page.items.map((r) => r.id)).toContain(handle.id);
      });
    });

    describe('Idempotency-Key', () => {
      it('answers a repeat with the first task, Idempotent-Replayed: true, and runs nothing new', async () => {
        const key = freshKey();
        const first = await alice.submit('factorial', { n: 7 }).set('Idempotency-Key', key);
        expect(first.status).toBe(202);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        const again = await alice.submit('factorial', { n: 7 }).set('Idempotency-Key', key);
        expect(again.status).toBe(202);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body.id).toBe(first.body.id);
        expect(again.headers.location).toBe(`/tasks/${first.body.id}`);
        const waited = await alice.submit('factorial', { n: 7 }, `?wait=${WAIT_S}`).set('Idempotency-Key', key);
        expect(waited.status).toBe(200);
        expect(waited.headers['idempotent-replayed']).toBe('true');
        expect(waited.body).toMatchObject({ id: first.body.id, status: 'completed', result: '5040', attempts: 1 });
        const listed = await alice.get(`/tasks?requestId=${first.body.requestId}`);
        expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([first.body.id]);
      });

      it('compares the validated input, not its spelling: the same body with keys in another order replays', async () => {
        const key = freshKey();
        const first = await alice.submit('fail', { message: 'same' }).set('Idempotency-Key', key);
        const again = await t.http
          .post('/tasks/fail')
          .set(bearer('alice'))
          .set('Idempotency-Key', key)
          .set('content-type', 'application/json')
          .send('{ "message" : "same" }');
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body.id).toBe(first.body.id);
      });

      it('holds a key only while its task is kept: once the record expired, the key makes a new task', async () => {
        const key = freshKey();
        const first = await alice.submit('short-lived', {}, `?wait=${WAIT_S}`).set('Idempotency-Key', key);
        expect(first.body).toMatchObject({ status: 'completed', result: 'short' });
        await eventually(async () => (await alice.get(`/tasks/${first.body.id}`)).status === 404, 10_000, 'the record to expire');
        const later = await alice.submit('short-lived', {}).set('Idempotency-Key', key);
        expect(later.status).toBe(202);
        expect(later.headers['idempotent-replayed']).toBeUndefined();
        expect(later.body.id).not.toBe(first.body.id);
      });

      it('answers 422 for the same key with another input or another task', async () => {
        const key = freshKey();
        const first = await alice.submit('factorial', { n: 3 }).set('Idempotency-Key', key);
        expect(first.status).toBe(202);
        expectError(await alice.submit('factorial', { n: 4 }).set('Idempotency-Key', key), 422, /another input/);
        expectError(await alice.submit('noop', {}).set('Idempotency-Key', key), 422, /task "factorial"/);
      });

      it('scopes keys by owner: the same key of another caller makes another task', async () => {
        const key = freshKey();
        const a = await alice.submit('noop', {}).set('Idempotency-Key', key);
        const b = await bob.submit('noop', {}).set('Idempotency-Key', key);
        expect([a.status, b.status]).toEqual([202, 202]);
        expect(b.headers['idempotent-replayed']).toBeUndefined();
        expect(b.body.id).not.toBe(a.body.id);
      });

      it('creates exactly one task for 50 concurrent submits with one key', async () => {
        const key = freshKey();
        const requestId = `concurrent-${backend}-${platform}-${Date.now()}`;
        const answers = await Promise.all(
          Array.from({ length: 50 }, () => alice.submit('factorial', { n: 9 }).set('Idempotency-Key', key).set('X-Request-ID', requestId)),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
        expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
        expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
        const listed = await alice.get(`/tasks?requestId=${requestId}&limit=100`);
        expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([answers[0].body.id]);
      });

      it.each([
        ['empty', ''],
        ['too long', 'k'.repeat(256)],
        ['a tab (control character)', 'a\tb'],
        ['a non-ASCII character', 'caf\u00e9'],
        ['an empty quoted string', '""'],
      ])('answers 400 for a key that is %s', async (_, key) => {
        expectError(await alice.submit('noop', {}).set('Idempotency-Key', key), 400, /Idempotency-Key/);
      });

      it('never lets a key with a raw control character through: the HTTP parser answers 400 before any route', async () => {
        const { hostname, port } = new URL(t.url);
        const head = await new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () =>
            socket.end('POST /tasks/noop HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice\r\nIdempotency-Key: a\u0001b\r\n' +
              'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'),
          );
          let answer = '';
          socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });
        expect(head).toMatch(/^HTTP\/1\.1 400 /);
      });

      it('takes a key of 255 printable characters, quoted as the draft\'s structured field or bare', async () => {
        const key = `${freshKey()}~ !"`.padEnd(255, 'x');
        const first = await alice.submit('noop', {}).set('Idempotency-Key', key);
        expect(first.status).toBe(202);
        const quoted = await alice.submit('noop', {}).set('Idempotency-Key', `"${key}"`);
        expect(quoted.headers['idempotent-replayed']).toBe('true');
        expect(quoted.body.id).toBe(first.body.id);
      });

      it('works from code: submit(name, input, { idempotencyKey }) answers the first task', async () => {
        const tasks = t.app.get(TaskService);
        const key = freshKey();
        const first = await tasks.submit('noop', {}, { idempotencyKey: key });
        const again = await tasks.submit('noop', {}, { idempotencyKey: key });
        expect(again.id).toBe(first.id);
        await expect(tasks.submit('noop', { other: 1 }, { idempotencyKey: key })).rejects.toMatchObject({ status: 422 });
      });
    });

    describe('OpenAPI', () => {
      it('documents the bearer requirement on every au operation and Idempotency-Key on every submit', async () => {
        const doc = (await t.http.get('/docs-json')).body;
        expect(await validateOpenApi(doc)).toBeNull();
        for (const [path, item] of Object.entries<any>(doc.paths)) {
          if (!path.startsWith('/tasks')) continue;
          for (const op of Object.values<any>(item)) expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
        }
        for (const task of ['factorial', 'noop', 'admin-only', 'whoami']) {
          const header = doc.paths[`/tasks/${task}`].post.parameters.find((p: any) => p.name === 'Idempotency-Key');
          expect(header).toMatchObject({ in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
        }
      });
    });
  });
}
