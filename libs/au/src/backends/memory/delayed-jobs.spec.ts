import { DelayedJobs } from './delayed-jobs';

describe('DelayedJobs', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('releases each item at its time, earliest first, on one timer', () => {
    const out: string[] = [];
    const delayed = new DelayedJobs<string>((item) => out.push(item));
    delayed.add('c', 300);
    delayed.add('a', 100);
    delayed.add('b', 200);
    delayed.add('a2', 100);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(99);
    expect(out).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(out).toEqual(['a', 'a2']);
    jest.advanceTimersByTime(200);
    expect(out).toEqual(['a', 'a2', 'b', 'c']);
    expect(delayed.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits beyond the longest timer in steps (30 days)', () => {
    const out: string[] = [];
    const delayed = new DelayedJobs<string>((item) => out.push(item));
    const month = 30 * 24 * 3600 * 1000;
    delayed.add('late', month);
    jest.advanceTimersByTime(2 ** 31);
    expect(out).toEqual([]);
    jest.advanceTimersByTime(month - 2 ** 31);
    expect(out).toEqual(['late']);
  });

  it('clear stops the timer', () => {
    const delayed = new DelayedJobs<string>(() => undefined);
    delayed.add('x', 10);
    delayed.clear();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('DelayedJobs.items', () => {
  it('lists what it holds until it is released', () => {
    jest.useFakeTimers({ now: 0 });
    const delayed = new DelayedJobs<string>(() => undefined);
    delayed.add('a', 10);
    delayed.add('b', 20);
    expect([...delayed.items()].sort()).toEqual(['a', 'b']);
    jest.advanceTimersByTime(10);
    expect([...delayed.items()]).toEqual(['b']);
    delayed.clear();
    jest.useRealTimers();
  });
});
