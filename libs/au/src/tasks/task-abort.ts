/**
 * How a backend stops a running attempt: `abort(reason)` once; the runner listens with `onAbort`. A plain object
 * instead of an AbortController per attempt: an AbortSignal with an 'abort' listener on every no-op task cost tens of
 * microseconds of CPU, mostly garbage collection (see bench/README.md). Task code still gets a real AbortSignal
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
   * Drops the listener: the attempt is over and a later abort has nothing to stop. This object no longer holds the
   * finished attempt (its run, the job) for whoever still points at it: young-generation GCs take every reference from
   * an old-generation object as live until a full GC, and through the backend's map of running attempts each finished
   * attempt used to be promoted (see bench/README.md, fifth round).
   */
  removeListener(): void {
    this.listener = undefined;
  }
}
