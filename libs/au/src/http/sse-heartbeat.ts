import type { MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';

/** How often an event stream that has nothing to say sends a comment line, so that proxies keep it open. */
export const SSE_HEARTBEAT_MS = 15_000;

/**
 * `events` as SSE messages, with a comment (`: keep-alive`, which clients ignore) every `everyMs` until they end;
 * unsubscribing stops both.
 */
export function withHeartbeat(events: Observable<MessageEvent>, everyMs = SSE_HEARTBEAT_MS): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
    const timer = setInterval(() => subscriber.next({ comment: 'keep-alive' }), everyMs);
    const subscription = events.subscribe(subscriber);
    return () => {
      clearInterval(timer);
      subscription.unsubscribe();
    };
  });
}
