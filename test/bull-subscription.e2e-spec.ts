import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TaskHooks, TaskService } from '@au/nestjs';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/**
 * Waits on Bull wake on Bull's finish messages, and a task this process created is not read before waiting. A finish
 * published while au's subscriber connection is down is never delivered: these tests drop that connection (CLIENT
 * KILL) right as a task finishes, so its message is lost, and check that nobody waits for it anyway.
 */
describe('Bull backend: results when the finish message was lost', () => {
  let t: TestApp;
  let admin: Redis;
  let prefix: string;
  /** The subscriber connection to drop when the next task finishes, if any. */
  let dropOnFinish: string | undefined;
  let kills = 0;

  /** The id of the app's subscriber connection (au names its connections `{prefix}:subscriber` etc.). */
  const subscriberId = async (): Promise<string | undefined> => {
    const list = (await admin.client('LIST')) as string;
    return list.split('\n').find((line) => line.includes(` name=${prefix}:subscriber `))?.match(/^id=(\d+)/)?.[1];
  };

  beforeAll(async () => {
    prefix = `sub${randomUUID().slice(0, 8)}`;
    admin = new Redis(sharedRedisUrl());
    t = await createTestApp({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix });
    t.app.get(TaskHooks).register({
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
    admin?.disconnect();
  });

  /** The hook must send KILL at once, so the id is looked up beforehand; returns it. */
  const dropSubscriberOnNextFinish = async () => {
    dropOnFinish = await subscriberId();
    expect(dropOnFinish).toBeDefined();
    return dropOnFinish;
  };

  /**
   * A wait that is not woken ends at its own timeout (60 s here) and would then still find the result: what tells a
   * lost message apart is that the answer is not there within seconds. The reconnect takes a few hundred ms.
   */
  const soonOrStillWaiting = <T>(answer: Promise<T>) =>
    Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000).unref())]);

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
