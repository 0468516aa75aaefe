import { DEFAULT_FAILED_TTL_SECONDS, failedTtlSecondsOf } from './task-definition';

describe('failedTtlSecondsOf', () => {
  it('is the failed TTL (7 days unless set), never less than the task\'s own TTL', () => {
    expect(failedTtlSecondsOf(undefined, { resultTtlSeconds: 3600 })).toBe(DEFAULT_FAILED_TTL_SECONDS);
    expect(failedTtlSecondsOf({ ttlSeconds: 1 }, { resultTtlSeconds: 3600, failedTtlSeconds: 60 })).toBe(60);
    expect(failedTtlSecondsOf({ ttlSeconds: 600 }, { resultTtlSeconds: 3600, failedTtlSeconds: 60 })).toBe(600);
    expect(failedTtlSecondsOf(undefined, { resultTtlSeconds: 3600, failedTtlSeconds: 60 })).toBe(3600);
  });
});
