import type Redis from 'ioredis';

/** What a subscriber connection is told to hear: channels by name (SUBSCRIBE) or by pattern (PSUBSCRIBE). */
export interface Subscription {
  channels: string[];
  patterns?: string[];
}

type Kind = 'channel' | 'pattern';

/**
 * Channels and patterns a subscriber connection holds for as long as anyone needs them: subscribed on the first
 * `add`, unsubscribed once the last holder lets go. Commands of one connection run in order, so the last one sent for
 * a channel decides whether it stays subscribed.
 */
export class ChannelSubscriptions {
  private readonly holders = { channel: new Map<string, number>(), pattern: new Map<string, number>() };
  private readonly pending = { channel: new Map<string, Promise<unknown>>(), pattern: new Map<string, Promise<unknown>>() };

  constructor(private readonly connection: Redis) {}

  /** Channels and patterns subscribed (held by someone) now. */
  get size(): number {
    return this.holders.channel.size + this.holders.pattern.size;
  }

  /** Holds what `subscription` names; returns the function that lets go of it (once). */
  add({ channels, patterns = [] }: Subscription): () => void {
    this.hold('channel', channels);
    this.hold('pattern', patterns);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release('channel', channels);
      this.release('pattern', patterns);
    };
  }

  /** Resolves once what `subscription` names is subscribed (rejects if Redis refused or is away). */
  async ready({ channels, patterns = [] }: Subscription): Promise<void> {
    await Promise.all([...channels.map((c) => this.pending.channel.get(c)), ...patterns.map((p) => this.pending.pattern.get(p))]);
  }

  close(): void {
    this.holders.channel.clear();
    this.holders.pattern.clear();
    this.connection.disconnect();
  }

  private hold(kind: Kind, names: string[]): void {
    const holders = this.holders[kind];
    const fresh = names.filter((name) => {
      const count = holders.get(name) ?? 0;
      holders.set(name, count + 1);
      return count === 0;
    });
    if (!fresh.length) return;
    const subscribing = kind === 'channel' ? this.connection.subscribe(...fresh) : this.connection.psubscribe(...fresh);
    const pending = this.pending[kind];
    for (const name of fresh) pending.set(name, subscribing);
    const settled = () => fresh.forEach((name) => pending.get(name) === subscribing && pending.delete(name));
    subscribing.then(settled, settled);
  }

  private release(kind: Kind, names: string[]): void {
    const holders = this.holders[kind];
    const idle = names.filter((name) => {
      const count = (holders.get(name) ?? 1) - 1;
      if (count > 0) holders.set(name, count);
      else holders.delete(name);
      return count <= 0;
    });
    if (!idle.length || this.connection.status === 'end') return;
    const unsubscribing = kind === 'channel' ? this.connection.unsubscribe(...idle) : this.connection.punsubscribe(...idle);
    unsubscribing.catch(() => undefined);
  }
}
