import { InvalidCursorError, StoreUnavailableError } from '../../../core/au.errors';
import { guardRedis } from './guard-redis';

describe('guardRedis', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(async () => {
    // The shared checker stops at its first check with nothing in flight: let it, before the fake clock goes.
    await jest.advanceTimersByTimeAsync(100);
    expect(jest.getTimerCount()).toBe(0);
    jest.useRealTimers();
  });

  it('answers what the call answers', async () => {
    await expect(guardRedis('read', async () => 42)).resolves.toBe(42);
  });

  it('turns a failed or throwing call into a 503 naming what was tried, and keeps au errors as they are', async () => {
    const failed = guardRedis('read the task', () => Promise.reject(new Error('Connection is closed.')));
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow('Task storage (Redis) is unreachable while trying to read the task; retry later');
    await expect(guardRedis('read', () => { throw new Error('sync'); })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(guardRedis('read', () => Promise.reject(new InvalidCursorError('bad')))).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('answers 503 once a call hangs past its bound, and not before', async () => {
    const hanging = guardRedis('store the task', () => new Promise(() => undefined), 1000);
    let settled = false;
    hanging.catch(() => (settled = true));
    await jest.advanceTimersByTimeAsync(900);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    expect(settled).toBe(true);
    await expect(hanging).rejects.toThrow(StoreUnavailableError);
    const error = await hanging.catch((e: StoreUnavailableError) => e);
    expect((error as StoreUnavailableError).status).toBe(503);
    expect(((error as Error).cause as Error).message).toBe('no answer in 1000 ms');
  });

  it('keeps one timer for calls made one after another, and runs none once nothing is in flight', async () => {
    const call = guardRedis('read', () => new Promise((resolve) => setTimeout(() => resolve('late'), 150)));
    await jest.advanceTimersByTimeAsync(150);
    await expect(call).resolves.toBe('late');
    expect(jest.getTimerCount()).toBe(1);
    await expect(guardRedis('read', async () => 'next')).resolves.toBe('next');
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(jest.getTimerCount()).toBe(0);
  });
});
