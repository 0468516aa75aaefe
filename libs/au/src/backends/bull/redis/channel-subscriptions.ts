import type Redis from 'ioredis';

/**
 * Channels a subscriber connection holds for as long as anyone needs them: subscribed on the first `add`,
 * unsubscribed once the last holder lets go. Commands of one connection run in order, so the last one sent for a
 * channel decides whether it stays subscribed.
 */
export class ChannelSubscriptions {
  private readonly holders = new Map<string, number>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly connection: Redis) {}

  /** Channels subscribed (held by someone) now. */
  get size(): number {
    return this.holders.size;
  }

  /** Holds `channels`; returns the function that lets go of them (once). */
  add(channels: string[]): () => void {
    const fresh = channels.filter((channel) => {
      const count = this.holders.get(channel) ?? 0;
      this.holders.set(channel, count + 1);
      return count === 0;
    });
    if (fresh.length) {
      const subscribing = this.connection.subscribe(...fresh);
      for (const channel of fresh) this.pending.set(channel, subscribing);
      const settled = () => fresh.forEach((channel) => this.pending.get(channel) === subscribing && this.pending.delete(channel));
      subscribing.then(settled, settled);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const idle = channels.filter((channel) => {
        const count = (this.holders.get(channel) ?? 1) - 1;
        if (count > 0) this.holders.set(channel, count);
        else this.holders.delete(channel);
        return count <= 0;
      });
      if (idle.length && this.connection.status !== 'end') this.connection.unsubscribe(...idle).catch(() => undefined);
    };
  }

  /** Resolves once `channels` are subscribed (rejects if Redis refused or is away). */
  async ready(channels: string[]): Promise<void> {
    await Promise.all(channels.map((channel) => this.pending.get(channel)));
  }

  close(): void {
    this.holders.clear();
    this.connection.disconnect();
  }
}
