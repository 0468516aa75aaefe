import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InvalidCursorError } from '../../core/au.errors';
import { isFinished, TaskPage, TaskQuery, TaskRecord } from '../../core/task-record';
import { FinishWaiters } from '../../tasks/finish-waiters';

interface Entry {
  record: TaskRecord;
  seq: number;
  ttlMs: number;
  /** TTL of a failed or cancelled record (the dead-letter list), at least `ttlMs`. */
  failedTtlMs: number;
  expiresAt: number;
  /** A failed or cancelled task's input, kept for a retry. */
  input: unknown;
}

const SWEEP_INTERVAL_MS = 1000;

/**
 * The memory backend's records, in a Map in submission order: the backend writes them (`apply`), `MemoryTaskStore`
 * reads them. Finished records expire after their TTL (swept every second, from a timer or from `create` when the
 * timer is late, and checked on read), so memory stays flat while tasks keep coming.
 */
@Injectable()
export class MemoryRecords implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new FinishWaiters();
  private seq = 0;
  private lastSweep = Date.now();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  create(record: TaskRecord, ttlSeconds: number, failedTtlSeconds = ttlSeconds): void {
    // A copy by Object.assign rather than by spread: V8 gives a spread copy a shape without transitions, so each field
    // added later (startedAt, result, finishedAt) would build a new hidden class.
    const copy = Object.assign({}, record);
    const ttlMs = ttlSeconds * 1000;
    const failedTtlMs = Math.max(ttlMs, failedTtlSeconds * 1000);
    this.entries.set(record.id, { record: copy, seq: ++this.seq, ttlMs, failedTtlMs, expiresAt: Infinity, input: undefined });
    // Sweep from here too when the timer is late: code that submits and awaits in a loop on this backend runs on
    // promises alone, and the interval never fires.
    if (Date.now() - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep();
  }

  /** The live stored record (not a copy). */
  get(id: string): TaskRecord | undefined {
    return this.live(id)?.record;
  }

  /** Applies a change of the task's life; a finished status starts the TTL and wakes the waiters. */
  apply(id: string, patch: Partial<TaskRecord>): TaskRecord | undefined {
    const entry = this.live(id);
    if (!entry) return undefined;
    Object.assign(entry.record, patch);
    if (isFinished(entry.record.status)) {
      const ttlMs = entry.record.status === 'completed' ? entry.ttlMs : entry.failedTtlMs;
      entry.expiresAt = (entry.record.finishedAt ?? Date.now()) + ttlMs;
      this.waiters.notify(id);
    }
    return entry.record;
  }

  /** Keeps a failed or cancelled task's input for a retry (dropped with the record). */
  keepInput(id: string, input: unknown): void {
    const entry = this.live(id);
    if (entry) entry.input = input;
  }

  inputOf(id: string): unknown {
    return this.live(id)?.input;
  }

  /** A finished record made unfinished again (a retry): the patch applied, and no expiry until it finishes again. */
  reopen(id: string, patch: Partial<TaskRecord>): TaskRecord | undefined {
    const entry = this.live(id);
    if (!entry) return undefined;
    Object.assign(entry.record, patch);
    entry.expiresAt = Infinity;
    return entry.record;
  }

  list(query: TaskQuery): TaskPage {
    let before = Infinity;
    if (query.cursor !== undefined) {
      before = /^\d{1,15}$/.test(query.cursor) ? Number(query.cursor) : NaN;
      if (Number.isNaN(before)) throw new InvalidCursorError(query.cursor);
    }
    const now = Date.now();
    const all = [...this.entries.values()];
    const items: TaskRecord[] = [];
    let last: Entry | undefined;
    for (let i = all.length - 1; i >= 0 && items.length < query.limit; i--) {
      const entry = all[i];
      if (entry.seq >= before || entry.expiresAt <= now) continue;
      const r = entry.record;
      if (query.task && r.task !== query.task) continue;
      if (query.status && r.status !== query.status) continue;
      if (query.requestId && r.requestId !== query.requestId) continue;
      if (query.owner !== undefined && r.owner !== query.owner) continue;
      items.push(r);
      last = entry;
    }
    const more = last !== undefined && items.length === query.limit;
    return { items, nextCursor: more ? String(last!.seq) : undefined };
  }

  async waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord | undefined> {
    const entry = this.live(id);
    if (!entry || isFinished(entry.record.status) || timeoutMs <= 0) return entry?.record;
    await this.waiters.wait(id, timeoutMs);
    return this.live(id)?.record ?? entry.record;
  }

  /** Number of records held (for tests and benchmarks). */
  get size(): number {
    return this.entries.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.waiters.notifyAll();
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    this.lastSweep = now;
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
  }
}
