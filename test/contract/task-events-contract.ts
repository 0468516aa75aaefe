import { http } from '../harness/http-client';
import { SseClient, SseEvent } from '../harness/sse-client';

/** Where the contract talks to: an app's base URL, and how to stop it. */
export interface EventsTarget {
  url: string;
  close(): Promise<void>;
}

const key = (event: SseEvent) => (event.type === 'status' ? `status:${event.data.status}:${event.data.attempt ?? ''}` : event.type);

/**
 * What `events` must be: the end of `expected` (a client that connects late gets a snapshot of where the task stands,
 * then every change), optionally starting with `pending`. Compares event names, statuses and attempts.
 */
function expectSuffixOf(events: SseEvent[], expected: string[]): void {
  const keys = events.map(key);
  const rest = keys[0] === 'status:pending:' ? keys.slice(1) : keys;
  const from = Math.max(0, expected.length - rest.length);
  expect(rest).toEqual(expected.slice(from));
}

/**
 * `GET /tasks/{id}/events` as a client sees it, on any backend and platform, in one process or across an API and
 * worker processes: `target()` starts the app (its API) once for the suite. Every wait is bounded by an event, the
 * stream's end or `?wait=`; no fixed sleep.
 */
export function describeTaskEventsContract(name: string, target: () => Promise<EventsTarget>): void {
  describe(`task events (${name})`, () => {
    let app: EventsTarget;
    const open: SseClient[] = [];
    const submit = async (task: string, body: unknown, query = '') => {
      const res = await http('POST', `${app.url}/tasks/${task}${query}`, body);
      expect([200, 202]).toContain(res.status);
      return res.body as { id: string; status: string };
    };
    const follow = (id: string) => {
      const client = SseClient.open(`${app.url}/tasks/${id}/events`, { 'X-Request-ID': 'events-contract' });
      open.push(client);
      return client;
    };

    beforeAll(async () => {
      app = await target();
    }, 60_000);

    afterEach(() => open.splice(0).forEach((client) => client.close()));

    afterAll(async () => {
      await app?.close();
    });

    it('streams a running task: running with its attempt, its progress up to 100, then completed with the result, and ends', async () => {
      const { id } = await submit('sleep', { ms: 800 });
      const stream = follow(id);
      await stream.done();
      expect(stream.status).toBe(200);
      expect(stream.headers?.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers?.get('x-request-id')).toBe('events-contract');
      const progress = stream.events.filter((e) => e.type === 'progress').map((e) => e.data.progress as number);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress[progress.length - 1]).toBe(100);
      const statuses = stream.events.filter((e) => e.type === 'status').map(key);
      expect(statuses.filter((s) => s !== 'status:pending:')).toEqual(['status:running:1']);
      const last = stream.events[stream.events.length - 1];
      expect(last.type).toBe('completed');
      expect(last.data).toEqual({ id, status: 'completed', result: { slept: expect.any(Number) } });
      expect(last.data.result.slept).toBeGreaterThanOrEqual(800);
      expect(stream.events.every((e) => e.data.id === id)).toBe(true);
      // What the stream ended with is what the record says.
      expect((await http('GET', `${app.url}/tasks/${id}`)).body).toMatchObject({ status: 'completed', progress: 100 });
    });

    it('streams retries: each failed attempt as retrying with its error and delay, the next attempt as running', async () => {
      const { id } = await submit('flaky', { failTimes: 3 });
      const stream = follow(id);
      await stream.done();
      const events = stream.events.filter((e) => e.type !== 'progress');
      expectSuffixOf(events, [
        'status:running:1',
        'status:retrying:1',
        'status:running:2',
        'status:retrying:2',
        'status:running:3',
        'status:retrying:3',
        'status:running:4',
        'completed',
      ]);
      for (const retrying of events.filter((e) => e.data.status === 'retrying')) {
        const n = retrying.data.attempt as number;
        expect(retrying.data.error).toEqual({ name: 'Error', message: `flaky failure ${n} of 3` });
        // A client that connects while the task waits to be retried learns of it from the record, without the delay.
        if (retrying !== events[0]) expect(retrying.data.delayMs).toEqual(expect.any(Number));
      }
      expect(events[events.length - 1].data).toEqual({ id, status: 'completed', result: 'ok' });
    });

    it('streams a cancel: a running task ends with cancelled, and so does a pending one', async () => {
      const { id: running } = await submit('sleep', { ms: 60_000 });
      const { id: pending } = await submit('sleep', { ms: 60_000 });
      const first = follow(running);
      await first.next((e) => key(e) === 'status:running:1');
      const second = follow(pending);
      await second.next((e) => key(e) === 'status:pending:');
      expect((await http('DELETE', `${app.url}/tasks/${pending}`)).status).toBe(200);
      await second.done();
      expect(second.events.map(key)).toEqual(['status:pending:', 'cancelled']);
      expect(second.events[1].data).toEqual({ id: pending, status: 'cancelled' });
      expect((await http('DELETE', `${app.url}/tasks/${running}`)).status).toBe(200);
      await first.done();
      const last = first.events[first.events.length - 1];
      expect(last).toEqual({ type: 'cancelled', data: { id: running, status: 'cancelled' } });
    });

    it('gives a finished task its final event at once and ends: completed with the result, failed with the error', async () => {
      const done = await submit('factorial', { n: 5 }, '?wait=10');
      expect(done.status).toBe('completed');
      const completed = await SseClient.collect(`${app.url}/tasks/${done.id}/events`);
      expect(completed.events).toEqual([{ type: 'completed', data: { id: done.id, status: 'completed', result: '120' } }]);
      const failed = await submit('fail', { message: 'no luck' }, '?wait=10');
      const stream = await SseClient.collect(`${app.url}/tasks/${failed.id}/events`);
      expect(stream.events).toEqual([{ type: 'failed', data: { id: failed.id, status: 'failed', error: { name: 'Error', message: 'no luck' } } }]);
    });

    it('is documented in OpenAPI: GET /tasks/{id}/events answers text/event-stream, or 404', async () => {
      const doc = (await http('GET', `${app.url}/docs-json`)).body;
      const operation = doc.paths['/tasks/{id}/events'].get;
      expect(operation.operationId).toBe('followTask');
      expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
      expect(operation.responses['404']).toBeDefined();
      for (const view of ['TaskStatusEventView', 'TaskProgressEventView', 'TaskFinalEventView']) expect(doc.components.schemas[view]).toBeDefined();
    });

    it('answers 404 JSON for an unknown or malformed id, not a stream', async () => {
      for (const id of ['6f1c2c62-6d36-4b7e-9d57-2e6f8a0c9d11', 'not-a-uuid']) {
        const stream = await SseClient.collect(`${app.url}/tasks/${id}/events`);
        expect(stream.status).toBe(404);
        expect(stream.headers?.get('content-type')).toMatch(/application\/json/);
        expect(stream.body).toMatchObject({ statusCode: 404 });
        expect(String(stream.body.message)).toContain(id);
      }
    });
  });
}
