/**
 * How a backend stops a running attempt: `abort(reason)` once; the runner listens with `onAbort`. A plain object
 * rather than an AbortController per attempt, which every task would pay for; task code still gets a real AbortSignal
 * (`ctx.signal`), made when it first looks.
 */
export class TaskAbort {
  private abortReason: unknown;
  private listener?: (reason: unknown) => void;
  private done = false;

  /** Aborts with `reason` (the first call wins) and calls the listener, if any. */
  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.abortReason = reason;
    const listener = this.listener;
    this.listener = undefined;
    listener?.(reason);
  }

  /** The one listener (the runner's), called once on abort: at once if already aborted. */
  onAbort(listener: (reason: unknown) => void): void {
    if (this.done) listener(this.abortReason);
    else this.listener = listener;
  }

  /**
   * Drops the listener: the attempt is over and a later abort has nothing to stop, so this object (kept by whoever
   * still points at it) no longer holds the finished attempt.
   */
  removeListener(): void {
    this.listener = undefined;
  }
}
