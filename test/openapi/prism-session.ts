import { randomUUID } from 'node:crypto';
import { eventually, http } from '../harness/http-client';
import { PrismViolation, violationsOf } from '../harness/prism-proxy';

/** One request of the session through Prism: what was expected, what came back and what Prism found wrong. */
export interface SessionAnswer {
  what: string;
  expected: number;
  status: number;
  violations: PrismViolation[];
  body: any;
}

/** Bound of every wait: a Bull run crosses Redis. */
const WAIT_S = 10;

/**
 * Requests through Prism, each recorded with the status it must have. `answers` holds every one, so a suite can
 * assert them all at once (status as expected, no violation) and show the whole list when one is off.
 */
export class PrismSession {
  readonly answers: SessionAnswer[] = [];

  /** `url`: Prism's; `upstream`: the app's, polled directly while waiting for a state. */
  constructor(
    private readonly url: string,
    private readonly upstream: string,
  ) {}

  /** Sends a request; `body` is sent as JSON unless it is already a string (sent as it is, as JSON's media type). */
  async send(what: string, expected: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<SessionAnswer> {
    const response = await http(method, `${this.url}${path}`, body, headers);
    const answer = { what, expected, status: response.status, violations: violationsOf(response.headers), body: response.body };
    this.answers.push(answer);
    return answer;
  }

  /** Waits (polling the app itself) until `accept` holds on `GET /tasks/{id}`, then reads it once through Prism. */
  async readWhen(what: string, id: string, accept: (body: any) => boolean): Promise<any> {
    await eventually(async () => {
      const response = await fetch(`${this.upstream}/tasks/${id}`, { signal: AbortSignal.timeout(10_000) });
      return response.status === 200 && accept(await response.json());
    }, WAIT_S * 1000, what);
    return (await this.send(what, 200, 'GET', `/tasks/${id}`)).body;
  }

  /** The answers that are off: another status than expected, or any violation. */
  problems(): SessionAnswer[] {
    return this.answers.filter((a) => a.status !== a.expected || a.violations.length > 0);
  }

  /** Every violation Prism reported in the session. */
  violations(): PrismViolation[] {
    return this.answers.flatMap((a) => a.violations);
  }
}

/**
 * Every route and status au answers in normal operation, through Prism: submit 202, `?wait` 200 and 202, read
 * pending/running/completed/failed/cancelled, result 200/202/409, cancel 200/409, list 200/400, stats, metrics,
 * health, bad body and bad query 400, malformed JSON 400, unknown id 404, body over the limit 413; and the routes job
 * control and idempotency added: a delayed, prioritized submit and its record, retry 202/409/404, schedules,
 * Idempotency-Key replay 202, reuse 422, malformed 400. `oversized` is a body larger than the app's maxBodyBytes.
 */
export async function coverEveryRoute(s: PrismSession, oversized: string): Promise<void> {
  await s.send('submit: 202', 202, 'POST', '/tasks/noop', {});
  const factorial = (await s.send('submit ?wait: 200 with a typed result', 200, 'POST', `/tasks/factorial?wait=${WAIT_S}`, { n: 20 })).body;
  await s.send('submit ?wait: 200 with a null result', 200, 'POST', `/tasks/noop?wait=${WAIT_S}`, {});
  await s.send('submit ?wait: 200 with an object result', 200, 'POST', `/tasks/sleep?wait=${WAIT_S}`, { ms: 1 });
  const failed = (await s.send('submit ?wait: 200 failed', 200, 'POST', `/tasks/fail?wait=${WAIT_S}`, { message: 'boom' })).body;

  // sleep runs one at a time: the first one runs, the second waits behind it.
  const running = (await s.send('submit ?wait: 202 still running', 202, 'POST', '/tasks/sleep?wait=0.2', { ms: 60_000 })).body;
  await s.readWhen('read running (with progress)', running.id, (b) => b.status === 'running' && b.progress > 0);
  const pending = (await s.send('submit: 202 pending', 202, 'POST', '/tasks/sleep', { ms: 1000 })).body;
  await s.readWhen('read pending', pending.id, (b) => b.status === 'pending');
  await s.send('result: 202 unfinished', 202, 'GET', `/tasks/${pending.id}/result?wait=0`);
  await s.send('cancel pending: 200', 200, 'DELETE', `/tasks/${pending.id}`);
  await s.send('cancel running: 200', 200, 'DELETE', `/tasks/${running.id}`);
  await s.readWhen('read cancelled', running.id, (b) => b.status === 'cancelled');
  await s.send('cancel finished: 409', 409, 'DELETE', `/tasks/${running.id}`);
  await s.send('result of cancelled: 409', 409, 'GET', `/tasks/${running.id}/result?wait=${WAIT_S}`);
  await s.send('result of cancelled before it ran: 409', 409, 'GET', `/tasks/${pending.id}/result`);

  await s.readWhen('read completed', factorial.id, (b) => b.status === 'completed');
  await s.send('result: 200', 200, 'GET', `/tasks/${factorial.id}/result?wait=${WAIT_S}`);
  await s.readWhen('read failed', failed.id, (b) => b.status === 'failed');
  await s.send('result of failed: 409', 409, 'GET', `/tasks/${failed.id}/result`);

  // Job control: delay and priority, retry, schedules.
  const delayed = (await s.send('submit delayed, prioritized: 202', 202, 'POST', '/tasks/factorial?delay=600&priority=3', { n: 3 })).body;
  await s.readWhen('read delayed (runAt, priority)', delayed.id, (b) => b.status === 'pending' && b.runAt !== null);
  await s.send('cancel delayed: 200', 200, 'DELETE', `/tasks/${delayed.id}`);
  await s.send('submit, priority out of range: 400', 400, 'POST', '/tasks/factorial?priority=0', { n: 3 });
  await s.send('retry failed: 202', 202, 'POST', `/tasks/${failed.id}/retry`);
  await s.readWhen('read failed again', failed.id, (b) => b.status === 'failed' && b.attempts === 2);
  await s.send('retry completed: 409', 409, 'POST', `/tasks/${factorial.id}/retry`);
  await s.send('retry unknown id: 404', 404, 'POST', `/tasks/${randomUUID()}/retry`);
  await s.send('schedules: 200', 200, 'GET', '/tasks/schedules');
  // Idempotency-Key: first, replay, reuse with another input, malformed.
  const key = { 'idempotency-key': `prism-${randomUUID()}` };
  await s.send('submit with a key: 202', 202, 'POST', '/tasks/factorial', { n: 4 }, key);
  await s.send('replay of the key: 202', 202, 'POST', '/tasks/factorial', { n: 4 }, key);
  await s.send('key reused for another input: 422', 422, 'POST', '/tasks/factorial', { n: 5 }, key);
  await s.send('malformed key: 400', 400, 'POST', '/tasks/factorial', { n: 4 }, { 'idempotency-key': 'x'.repeat(256) });

  await s.send('list: 200', 200, 'GET', '/tasks?limit=3');
  await s.send('list by task and status: 200', 200, 'GET', '/tasks?task=sleep&status=cancelled');
  await s.send('list, limit out of range: 400', 400, 'GET', '/tasks?limit=500');
  await s.send('list, bad cursor: 400', 400, 'GET', '/tasks?cursor=nope');
  await s.send('stats: 200', 200, 'GET', '/tasks/stats');
  await s.send('metrics: 200', 200, 'GET', '/metrics');
  await s.send('health live: 200', 200, 'GET', '/health/live');
  await s.send('health ready: 200', 200, 'GET', '/health/ready');

  await s.send('bad body: 400', 400, 'POST', '/tasks/factorial', { n: 'twenty' });
  await s.send('unknown field: 400', 400, 'POST', '/tasks/factorial', { n: 1, extra: true });
  await s.send('malformed JSON: 400', 400, 'POST', '/tasks/factorial', '{"n": ');
  await s.send('submit ?wait out of range: 400', 400, 'POST', '/tasks/factorial?wait=99', { n: 1 });
  await s.send('result ?wait out of range: 400', 400, 'GET', `/tasks/${factorial.id}/result?wait=abc`);
  await s.send('body too large: 413', 413, 'POST', '/tasks/fail', oversized);

  const unknown = randomUUID();
  await s.send('read unknown id: 404', 404, 'GET', `/tasks/${unknown}`);
  await s.send('read malformed id: 404', 404, 'GET', '/tasks/not-a-task-id');
  await s.send('result of unknown id: 404', 404, 'GET', `/tasks/${unknown}/result`);
  await s.send('cancel unknown id: 404', 404, 'DELETE', `/tasks/${unknown}`);
}

/** With Redis away (Bull): every route that touches it answers 503, readiness 503, stats still 200. */
export async function coverRedisAway(s: PrismSession, knownId: string): Promise<void> {
  await s.send('submit, Redis away: 503', 503, 'POST', '/tasks/noop', {});
  await s.send('read, Redis away: 503', 503, 'GET', `/tasks/${knownId}`);
  await s.send('result, Redis away: 503', 503, 'GET', `/tasks/${knownId}/result`);
  await s.send('cancel, Redis away: 503', 503, 'DELETE', `/tasks/${knownId}`);
  await s.send('list, Redis away: 503', 503, 'GET', '/tasks');
  await s.send('health ready, Redis away: 503', 503, 'GET', '/health/ready');
  await s.send('stats, Redis away: 200', 200, 'GET', '/tasks/stats');
}
