import { AuError, StoreUnavailableError } from '../../../core/au.errors';

const DEFAULT_TIMEOUT_MS = 2000;
/** How often pending calls are checked against their deadline: a bound answers within its time plus this. */
const CHECK_EVERY_MS = 100;

interface Pending {
  deadline: number;
  timeoutMs: number;
  what: string;
  /** Dropped once the call settles (see `settled`). */
  reject?: (error: Error) => void;
}

/**
 * Every guarded call in flight, checked by one timer: under load many calls share it, rather than each paying for a
 * timer and a race of its own. The timer stops at the first check that finds none in flight, not when the last one
 * settles, so calls made one after another (a sequential caller) keep one timer instead of starting one each.
 */
const pending = new Set<Pending>();
let checker: NodeJS.Timeout | undefined;

function checkDeadlines(): void {
  const now = Date.now();
  for (const call of pending) {
    if (call.deadline > now) continue;
    pending.delete(call);
    call.reject?.(new StoreUnavailableError(call.what, new Error(`no answer in ${call.timeoutMs} ms`)));
  }
  if (pending.size > 0) return;
  clearInterval(checker);
  checker = undefined;
}

/** The call is over: the entry lets go of its promise, and with it of everything that waited on the call. */
function settled(entry: Pending): void {
  pending.delete(entry);
  entry.reject = undefined;
}

function toUnavailable(what: string, error: unknown): Error {
  return error instanceof AuError ? error : new StoreUnavailableError(what, error);
}

/**
 * Bounds a Redis call: a timeout or connection error becomes a `StoreUnavailableError` (503 over HTTP), so callers
 * get an answer within seconds instead of a hang or a 500. au's own errors pass as they are.
 */
export function guardRedis<T>(what: string, call: () => Promise<T>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const entry: Pending = { deadline: Date.now() + timeoutMs, timeoutMs, what, reject };
    let result: Promise<T>;
    try {
      result = call();
    } catch (error) {
      return reject(toUnavailable(what, error));
    }
    pending.add(entry);
    checker ??= setInterval(checkDeadlines, CHECK_EVERY_MS).unref();
    result.then(
      (value) => {
        settled(entry);
        resolve(value);
      },
      (error: unknown) => {
        settled(entry);
        reject(toUnavailable(what, error));
      },
    );
  });
}
