import { backoffDelay, TaskCancelledError, TaskTimeoutError } from './task-errors';

describe('backoffDelay', () => {
  afterEach(() => jest.restoreAllMocks());

  it('grows as delayMs * factor^(attempt-1) without jitter', () => {
    const backoff = { delayMs: 50, factor: 2, jitter: 0 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(backoff, attempt))).toEqual([50, 100, 200, 400]);
  });

  it('stays constant with factor 1', () => {
    expect([1, 2, 5].map((attempt) => backoffDelay({ delayMs: 1000, factor: 1, jitter: 0 }, attempt))).toEqual([1000, 1000, 1000]);
  });

  it('rounds to whole milliseconds', () => {
    expect(backoffDelay({ delayMs: 10, factor: 1.5, jitter: 0 }, 2)).toBe(15);
    expect(backoffDelay({ delayMs: 10, factor: 1.55, jitter: 0 }, 2)).toBe(16);
  });

  it('takes up to `jitter` of the delay off at random', () => {
    const backoff = { delayMs: 1000, factor: 2, jitter: 0.5 };
    const random = jest.spyOn(Math, 'random');
    random.mockReturnValue(0);
    expect(backoffDelay(backoff, 2)).toBe(2000);
    random.mockReturnValue(0.5);
    expect(backoffDelay(backoff, 2)).toBe(1500);
    random.mockReturnValue(0.999999);
    expect(backoffDelay(backoff, 2)).toBe(1000);
  });

  it('stays within [base * (1 - jitter), base] for real random values', () => {
    jest.restoreAllMocks();
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay({ delayMs: 100, factor: 3, jitter: 0.25 }, 3);
      expect(delay).toBeGreaterThanOrEqual(675);
      expect(delay).toBeLessThanOrEqual(900);
    }
  });

  it('is 0 for a zero delay', () => {
    expect(backoffDelay({ delayMs: 0, factor: 2, jitter: 0.5 }, 4)).toBe(0);
  });
});

describe('task errors', () => {
  it('TaskTimeoutError says how long the attempt was allowed', () => {
    const error = new TaskTimeoutError(200);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TaskTimeoutError');
    expect(error.message).toBe('Task timed out after 200 ms');
  });

  it('TaskCancelledError', () => {
    const error = new TaskCancelledError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TaskCancelledError');
    expect(error.message).toBe('Task was cancelled');
  });
});
