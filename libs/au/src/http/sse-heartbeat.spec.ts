import type { MessageEvent } from '@nestjs/common';
import { Subject } from 'rxjs';
import { SSE_HEARTBEAT_MS, withHeartbeat } from './sse-heartbeat';

describe('withHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a keep-alive comment every 15 s between events, and stops with the events', () => {
    const events = new Subject<MessageEvent>();
    const seen: MessageEvent[] = [];
    let complete = false;
    withHeartbeat(events).subscribe({ next: (m) => seen.push(m), complete: () => (complete = true) });
    expect(SSE_HEARTBEAT_MS).toBe(15_000);
    jest.advanceTimersByTime(14_999);
    expect(seen).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(seen).toEqual([{ comment: 'keep-alive' }]);
    events.next({ type: 'progress', data: { progress: 50 } });
    jest.advanceTimersByTime(15_000);
    expect(seen).toEqual([{ comment: 'keep-alive' }, { type: 'progress', data: { progress: 50 } }, { comment: 'keep-alive' }]);
    events.complete();
    expect(complete).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('lets go of the events and the timer when the client unsubscribes', () => {
    const events = new Subject<MessageEvent>();
    const subscription = withHeartbeat(events).subscribe();
    expect(events.observed).toBe(true);
    subscription.unsubscribe();
    expect(events.observed).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});
