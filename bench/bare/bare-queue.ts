interface Item {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The in-memory baseline: a plain in-process FIFO that runs at most `concurrency` functions at once and hands each
 * caller its function's result. No records, ids, hooks or contexts: the least any task queue has to do.
 */
export class BareQueue {
  private readonly items: Item[] = [];
  private head = 0;
  private running = 0;

  constructor(private readonly concurrency: number) {}

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.concurrency && this.head < this.items.length) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      this.running++;
      Promise.resolve()
        .then(item.run)
        .then(item.resolve, item.reject)
        .finally(() => {
          this.running--;
          this.drain();
        });
    }
  }
}
