/**
 * Items gathered during one turn of the event loop and handed to `flush` together (at setImmediate), so a burst of
 * tasks costs one Redis command instead of one each.
 */
export class TurnBatch<T> {
  private items: T[] = [];

  constructor(private readonly flush: (items: T[]) => void) {}

  add(item: T): void {
    if (this.items.length === 0) setImmediate(() => this.drain());
    this.items.push(item);
  }

  private drain(): void {
    const items = this.items;
    this.items = [];
    this.flush(items);
  }
}
