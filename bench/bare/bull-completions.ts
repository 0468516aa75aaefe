import type { Job, Queue } from 'bull';

/**
 * Waits for jobs of a queue processed in this process, on the queue's local 'completed'/'failed' events: the bare
 * baselines' `job.finished()`. Bull's own `job.finished()` (state check on one connection, then a listener for the
 * global event from another) left about 1 % of jobs waiting 5 s here, which would make the baseline look slow.
 */
export class BullCompletions {
  private readonly waiting = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly early = new Map<string, { ok: boolean; value: unknown }>();

  constructor(queue: Queue) {
    queue.on('completed', (job: Job, result: unknown) => this.settle(String(job.id), true, result));
    queue.on('failed', (job: Job, error: Error) => this.settle(String(job.id), false, error));
  }

  /** The job's result; call right after `queue.add()` resolves (a job finishing before is remembered). */
  wait(id: string | number): Promise<unknown> {
    const key = String(id);
    const done = this.early.get(key);
    if (done) {
      this.early.delete(key);
      return done.ok ? Promise.resolve(done.value) : Promise.reject(done.value as Error);
    }
    return new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject }));
  }

  private settle(id: string, ok: boolean, value: unknown): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return void this.early.set(id, { ok, value });
    this.waiting.delete(id);
    if (ok) waiter.resolve(value);
    else waiter.reject(value as Error);
  }
}
