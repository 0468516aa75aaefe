/** How many ids are remembered at most; beyond it the oldest are forgotten (their waits read the record first). */
const MAX_OPEN = 10_000;

/**
 * Tasks this process created and has heard no end of (no finish or cancel message) while its subscription stayed up:
 * they are unfinished, so a wait on one needs no read of the record before it starts listening. Losing the
 * subscription forgets them all, since a finish may then go unheard; so does reaching the bound, oldest first.
 */
export class OpenTasks {
  private readonly ids = new Set<string>();
  /**
   * The ids in the order they were created, a ring of MAX_OPEN slots: the slot a new id takes holds the oldest one,
   * which is forgotten. (Deleting a Set's oldest entry through `values().next()` would walk every entry deleted
   * before it until the Set compacts.)
   */
  private order: (string | undefined)[] = new Array(MAX_OPEN);
  private next = 0;
  private listening = false;

  /** The subscription is up (subscribed) or lost (closed); losing it forgets every id. */
  setListening(listening: boolean): void {
    this.listening = listening;
    if (listening) return;
    this.ids.clear();
    this.order = new Array(MAX_OPEN);
    this.next = 0;
  }

  /** A task created here; remembered only while the subscription is up, since its end must be heard. */
  created(id: string): void {
    if (!this.listening) return;
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.ids.delete(oldest);
    this.order[this.next] = id;
    this.next = (this.next + 1) % MAX_OPEN;
    this.ids.add(id);
  }

  /** A finish or cancel message, or a create that failed. */
  ended(id: string): void {
    this.ids.delete(id);
  }

  /** True if `id` is known to be unfinished; false means "read it to know". */
  isOpen(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
