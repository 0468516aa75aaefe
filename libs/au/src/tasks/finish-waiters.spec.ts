import { FinishWaiters } from './finish-waiters';

describe('FinishWaiters', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes every waiter of an id with what it was given, and only those', async () => {
    const waiters = new FinishWaiters();
    const a = waiters.wait('t1', 1000);
    const b = waiters.wait('t1', 1000);
    const other = waiters.wait('t2', 1000);
    expect(waiters.isWaitedOn('t1')).toBe(true);
    waiters.notify('t1', { result: 42 });
    await expect(a).resolves.toEqual({ result: 42 });
    await expect(b).resolves.toEqual({ result: 42 });
    expect(waiters.isWaitedOn('t1')).toBe(false);
    waiters.notify('t2');
    await expect(other).resolves.toBe(true);
  });

  it('a waiter that times out answers false and leaves the others of its id waiting', async () => {
    const waiters = new FinishWaiters();
    const short = waiters.wait('t1', 100);
    const long = waiters.wait('t1', 5000);
    jest.advanceTimersByTime(100);
    await expect(short).resolves.toBe(false);
    expect(waiters.isWaitedOn('t1')).toBe(true);
    waiters.notify('t1');
    await expect(long).resolves.toBe(true);
  });

  it('forgets an id once its only waiter timed out; notifyAll wakes everyone', async () => {
    const waiters = new FinishWaiters();
    const lone = waiters.wait('t1', 100);
    jest.advanceTimersByTime(100);
    await expect(lone).resolves.toBe(false);
    expect(waiters.isWaitedOn('t1')).toBe(false);
    const x = waiters.wait('t2', 1000);
    const y = waiters.wait('t3', 1000);
    waiters.notifyAll();
    await expect(Promise.all([x, y])).resolves.toEqual([true, true]);
  });
});
