import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TaskHooks, TaskService } from '@au/nestjs';
import { AU_REDIS_SUBSCRIBER } from '../libs/au/src/core/au.tokens';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/**
 * A wait that is not woken ends at its own timeout (60 s here) and would then still find the result: what tells a
 * lost message apart is that the answer is not there within seconds. The reconnect takes a few hundred ms.
 */
const soonOrStillWaiting = <T>(answer: Promise<T>) =>
  Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000).unref())]);

/**
 * Waits on Bull wake on finish messages (a task created here: on this process's origin channel), and a task this
 * process created is not read before waiting. A finish published while au's subscriber connection is down is never
 * delivered: these tests drop that connection (CLIENT KILL) right as a task finishes, so its message is lost, and
 * check that nobody waits for it anyway. The waits are in
 * an API app (`t`) and the tasks run in a worker app: a worker's own waiters hear its completions without a message.
 */
describe('Bull backend: results when the finish message was lost', () => {
  let t: TestApp;
  let worker: TestApp;
  let admin: Redis;
  let prefix: string;
  /** The subscriber connection to drop when the next task finishes, if any. */
  let dropOnFinish: string | undefined;
  let kills = 0;

  /** The id of the API app's subscriber connection, found in CLIENT LIST by the address of its socket. */
  const subscriberId = async (): Promise<string | undefined> => {
    const subscriber = t.app.get<Redis>(AU_REDIS_SUBSCRIBER);
    if (subscriber.status !== 'ready') return undefined;
    const addr = `addr=127.0.0.1:${subscriber.stream.localPort} `;
    const list = (await admin.client('LIST')) as string;
    return list.split('\n').find((line) => line.includes(addr))?.match(/^id=(\d+)/)?.[1];
  };

  beforeAll(async () => {
    prefix = `sub${randomUUID().slice(0, 8)}`;
    admin = new Redis(sharedRedisUrl());
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, role: 'api' });
    worker = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, role: 'worker' });
    worker.app.get(TaskHooks).register({
      // Runs when the task returned, before Bull records it finished and publishes that: the KILL reaches Redis first,
      // and ioredis reconnects no sooner than 200 ms later.
      afterRun: () => {
        if (!dropOnFinish) return;
        void admin.client('KILL', 'ID', dropOnFinish);
        dropOnFinish = undefined;
        kills++;
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await worker?.close();
    admin?.disconnect();
  });

  /** The hook must send KILL at once, so the id is looked up beforehand; returns it. */
  const dropSubscriberOnNextFinish = async () => {
    dropOnFinish = await subscriberId();
    expect(dropOnFinish).toBeDefined();
    return dropOnFinish;
  };

  /** Resolves once the app's subscriber is connected again (a new connection id). */
  const subscriberBack = (before: string | undefined) =>
    eventually(async () => {
      const id = await subscriberId();
      return id !== undefined && id !== before ? id : undefined;
    }, 10_000, 'the subscriber to reconnect');

  it('result() waiting while the message is lost resolves once the subscriber is back', async () => {
    const before = await dropSubscriberOnNextFinish();
    const handle = await t.app.get(TaskService).submit('factorial', { n: 5 });
    await expect(soonOrStillWaiting(handle.result({ timeoutMs: 60_000 }))).resolves.toBe('120');
    expect(kills).toBe(1);
    await subscriberBack(before);
  });

  it('result() called after an unheard finish reads the record instead of waiting for a message', async () => {
    const before = await dropSubscriberOnNextFinish();
    const tasks = t.app.get(TaskService);
    const handle = await tasks.submit('factorial', { n: 6 });
    await eventually(async () => (await tasks.get(handle.id))?.status === 'completed', 10_000, 'the task to complete');
    expect(kills).toBe(2);
    await subscriberBack(before);
    await expect(soonOrStillWaiting(handle.result({ timeoutMs: 60_000 }))).resolves.toBe('720');
    const { body } = await t.http.post('/tasks/factorial?wait=8').send({ n: 3 }).expect(200);
    expect(body).toMatchObject({ status: 'completed', result: '6' });
  });
});

/**
 * A task run by a worker of the waiting process: Bull's local completed event (after Redis has the result) wakes its
 * waiters there, so they answer with no completed message at all (none is sent to this process, and Bull's channels
 * are unsubscribed here besides), and give the result as read back from Redis.
 */
describe('Bull backend: results of tasks this process ran', () => {
  let t: TestApp;
  let prefix: string;

  beforeAll(async () => {
    prefix = `loc${randomUUID().slice(0, 8)}`;
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix });
    const subscriber = t.app.get<Redis>(AU_REDIS_SUBSCRIBER);
    await subscriber.unsubscribe(`${prefix}:factorial:completed`, `${prefix}:json-shaped:completed`);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('result() and ?wait= answer without the completed message', async () => {
    const handle = await t.app.get(TaskService).submit('factorial', { n: 7 });
    await expect(soonOrStillWaiting(handle.result({ timeoutMs: 60_000 }))).resolves.toBe('5040');
    const answer = t.http.post('/tasks/factorial?wait=30').send({ n: 4 });
    const { status, body } = (await soonOrStillWaiting(answer)) as { status: number; body: Record<string, unknown> };
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', result: '24' });
  });

  it('the result is what Redis holds: JSON, dates as strings, undefined members left out', async () => {
    const handle = await t.app.get(TaskService).submit('json-shaped', {});
    const result = await soonOrStillWaiting(handle.result({ timeoutMs: 60_000 }));
    const expected = { at: '1970-01-01T00:00:00.000Z', list: [1, null], n: 1 };
    expect(result).toStrictEqual(expected);
    const { body } = await t.http.get(`/tasks/${handle.id}/result`).expect(200);
    expect(body.result).toStrictEqual(expected);
  });
});

/**
 * Who hears a task's completion: the process that submitted it, on its own origin channel (or from its own worker),
 * and a process waiting on a task submitted elsewhere, on Bull's completed channel of the task's queue, which it
 * subscribes to only while it waits. So an API process is not sent every task's completion.
 */
describe('Bull backend: completions reach the processes that wait for them', () => {
  let a: TestApp;
  let b: TestApp;
  let worker: TestApp;
  let admin: Redis;
  let prefix: string;

  /** Subscribers of Bull's completed channel of `sleep`, the task used here. */
  const completedSubscribers = async () => {
    const [, count] = (await admin.pubsub('NUMSUB', `${prefix}:sleep:completed`)) as [string, number];
    return Number(count);
  };

  beforeAll(async () => {
    prefix = `org${randomUUID().slice(0, 8)}`;
    admin = new Redis(sharedRedisUrl());
    a = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, role: 'api' });
    b = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, role: 'api' });
    worker = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix, role: 'worker' });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await worker?.close();
    admin?.disconnect();
  });

  it("answers the submitter's ?wait= from the worker's announcement on its origin channel, with no subscriber of Bull's channel", async () => {
    const answer = a.http.post('/tasks/sleep?wait=30').send({ ms: 600 }).then((response) => response);
    await eventually(async () => ((await admin.llen(`${prefix}:sleep:active`)) > 0 ? true : undefined), 10_000, 'the task to run');
    expect(await completedSubscribers()).toBe(0);
    const { status, body } = (await soonOrStillWaiting(answer)) as { status: number; body: Record<string, unknown> };
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed' });
    expect(await admin.hget(`${prefix}:sleep:${body.id as string}`, 'auOrigin')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers another process's wait on the task from Bull's completed channel, followed only while it waits", async () => {
    const { body: accepted } = await a.http.post('/tasks/sleep').send({ ms: 1500 }).expect(202);
    const answer = b.http.get(`/tasks/${accepted.id as string}/result?wait=30`).then((response) => response);
    await eventually(async () => ((await completedSubscribers()) === 1 ? true : undefined), 10_000, 'the waiting process to subscribe');
    const { status, body } = (await soonOrStillWaiting(answer)) as { status: number; body: Record<string, unknown> };
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: accepted.id, status: 'completed' });
    await eventually(async () => ((await completedSubscribers()) === 0 ? true : undefined), 10_000, 'the waiting process to let go');
  });

  it('answers at once a wait on a task that finished before it began, whichever process submitted it', async () => {
    const { body: accepted } = await a.http.post('/tasks/sleep').send({ ms: 1 }).expect(202);
    await eventually(async () => ((await a.http.get(`/tasks/${accepted.id as string}`)).body.status === 'completed' ? true : undefined), 10_000, 'the task to complete');
    for (const app of [a, b]) {
      const { status, body } = (await soonOrStillWaiting(app.http.get(`/tasks/${accepted.id as string}/result?wait=30`))) as { status: number; body: Record<string, unknown> };
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'completed' });
    }
  });
});
