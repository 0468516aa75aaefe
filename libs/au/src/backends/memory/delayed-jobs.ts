import { BinaryHeap } from './binary-heap';

/** setTimeout's longest delay; a later due time is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Delayed<T> {
  runAt: number;
  seq: number;
  item: T;
}

/**
 * Items held until their time: a heap by due time (then arrival) and one timer for the earliest, so many delayed
 * tasks cost one timer. `release` gets every item that is due, in order, when the timer fires.
 */
export class DelayedJobs<T> {
  private readonly heap = new BinaryHeap<Delayed<T>>((a, b) => a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq));
  private seq = 0;
  private timer?: NodeJS.Timeout;
  /** When the timer fires. */
  private timerAt = Infinity;

  constructor(private readonly release: (item: T) => void) {}

  get size(): number {
    return this.heap.size;
  }

  /** The items held, in no particular order. */
  *items(): IterableIterator<T> {
    for (const delayed of this.heap.values()) yield delayed.item;
  }

  add(item: T, runAt: number): void {
    this.heap.push({ runAt, seq: ++this.seq, item });
    if (runAt < this.timerAt) this.arm();
  }

  /** Stops the timer; the items held are dropped. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.heap.clear();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const next = this.heap.peek();
    if (!next) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next.runAt - Date.now()));
    this.timerAt = Date.now() + wait;
    this.timer = setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    for (let next = this.heap.peek(); next && next.runAt <= now; next = this.heap.peek()) this.release(this.heap.pop()!.item);
    this.arm();
  }
}
