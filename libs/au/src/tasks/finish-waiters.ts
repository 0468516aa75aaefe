import type { TaskRecord } from '../core/task-record';

/** The result a wake-up may carry, when the message that woke it said the task completed (and the record, if known). */
export interface CompletedWake {
  result: unknown;
  record?: TaskRecord;
}

/** Callers waiting for tasks to finish, woken by id; used by the stores to answer long-polls without polling. */
export class FinishWaiters {
  private readonly waiters = new Map<string, Set<(wake?: CompletedWake) => void>>();

  /** Resolves when `notify(id)` is called (true, or the result it was given), false after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<boolean | CompletedWake> {
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const waiter = (wake?: CompletedWake) => {
        clearTimeout(timer);
        resolve(wake ?? true);
      };
      const timer = setTimeout(() => {
        this.remove(id, waiter);
        resolve(false);
      }, timeoutMs);
      set.add(waiter);
    });
  }

  isWaitedOn(id: string): boolean {
    return this.waiters.has(id);
  }

  notify(id: string, wake?: CompletedWake): void {
    const set = this.waiters.get(id);
    if (!set) return;
    this.waiters.delete(id);
    for (const waiter of set) waiter(wake);
    // Lets go of the woken callers' promises, which a set deleted from the map still held for young-generation GCs.
    set.clear();
  }

  /** Wakes everyone (shutdown, or a resubscribe after which every waiter reads again). */
  notifyAll(): void {
    for (const id of [...this.waiters.keys()]) this.notify(id);
  }

  private remove(id: string, waiter: (wake?: CompletedWake) => void): void {
    const set = this.waiters.get(id);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) this.waiters.delete(id);
  }
}
