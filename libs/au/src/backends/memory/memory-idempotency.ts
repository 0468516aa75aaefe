import type { ClaimAnswer, IdempotencyClaim } from '../../tasks/idempotency-key';
import { MemoryRecords } from './memory-records';

interface Held {
  id: string;
  task: string;
  inputHash: string;
}

const SWEEP_INTERVAL_MS = 1000;

/**
 * Idempotency keys of the memory backend: each held by the task it created for as long as that task's record is kept.
 * A claim and the record's creation happen in one synchronous step, so concurrent repeats find the first one's record.
 * Keys whose record has expired are dropped when claimed again, and swept (at most once a second) on claims.
 */
export class MemoryIdempotencyKeys {
  private readonly held = new Map<string, Held>();
  private lastSweep = Date.now();

  constructor(private readonly records: MemoryRecords) {}

  /** Creates the record unless the key is held by a task still kept; synchronous, hence atomic. */
  createOnce(record: { id: string }, claim: IdempotencyClaim, create: () => void): ClaimAnswer {
    this.sweepIfDue();
    const held = this.held.get(claim.scope);
    if (held && this.records.get(held.id)) return { created: false, ...held };
    this.held.set(claim.scope, { id: record.id, task: claim.task, inputHash: claim.inputHash });
    create();
    return { created: true };
  }

  private sweepIfDue(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [scope, held] of this.held) if (!this.records.get(held.id)) this.held.delete(scope);
  }
}
