import { TIMED_OUT, within } from './within';

describe('within', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers the promise\'s value when it comes in time, and leaves no timer behind', async () => {
    await expect(within(Promise.resolve(7), 1000)).resolves.toBe(7);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('answers TIMED_OUT once the time has passed, and not before', async () => {
    const answer = within(new Promise(() => undefined), 1000);
    const settled = jest.fn();
    void answer.then(settled);
    await jest.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe(TIMED_OUT);
  });

  it('passes a rejection on', async () => {
    await expect(within(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });
});
