import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { AuRedisOptions, ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS } from '../../../core/au.tokens';
import { TIMED_OUT, within } from '../../../core/within';
import { defineBullFinish } from './bull-finish.command';
import { RedisKeys } from './redis-keys';
import { coalesceWritesPerTurn } from './turn-writes';

const READY_WAIT_MS = 5000;

const retryStrategy = (times: number) => Math.min(times * 200, 2000);

function connect(target: string | AuRedisOptions, extra: RedisOptions): Redis {
  return typeof target === 'string' ? new Redis(target, extra) : new Redis({ ...target, ...extra });
}

/**
 * The Redis connections of one process: a command client shared by au and every Bull queue (failing fast while Redis
 * is away instead of queueing, so callers get a 503 rather than a phantom write later), au's subscriber, one subscriber
 * shared by the Bull queues (made when Bull first asks), and one blocking client per processing queue. Closed last,
 * after the queues.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  readonly client: Redis;
  readonly subscriber: Redis;
  /**
   * This process's name among au's processes on the same Redis (one per module instance): a task submitted here
   * carries it, and its completion by a worker elsewhere is published on this origin's channel, which only this
   * process hears (FinishMessages).
   */
  readonly origin = randomUUID();
  private readonly blocking: Redis[] = [];
  private bullEvents?: Redis;

  constructor(@Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions) {
    this.client = connect(options.redis, {
      // No auto-pipelining: it holds every command of a tick (and its promise) until the last reply of the batch. The
      // commands of a turn share one socket write instead (coalesceWritesPerTurn, below), each resolving on its reply.
      enableAutoPipelining: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
      connectionName: `${options.prefix}:client`,
    });
    this.watch(this.client);
    // au's and every Bull queue's commands: each connection's socket (ioredis makes one per reconnect) sends a busy
    // turn's commands in one write. ioredis writes a command before queueing it for its reply, so its queue holds the
    // others awaiting theirs (ioredis' own field; without it, every turn counts as busy).
    const client = this.client as unknown as { commandQueue?: { length: number } };
    const inFlight = () => client.commandQueue?.length ?? Infinity;
    this.client.on('connect', () => coalesceWritesPerTurn(this.client.stream as Socket, inFlight));
    // Before any Bull queue loads its scripts on this client.
    defineBullFinish(this.client, this.origin, new RedisKeys(options.prefix).originCompletedChannelStart());
    this.subscriber = this.createSubscriber('subscriber');
  }

  /** Resolves once the command client is ready, or after a bound (the app starts and reports unready). */
  async ready(): Promise<void> {
    if (this.client.status === 'ready') return;
    if ((await within(once(this.client, 'ready'), READY_WAIT_MS)) === TIMED_OUT) {
      this.logger.warn(`Redis not ready after ${READY_WAIT_MS} ms; retrying in the background`);
    }
  }

  /**
   * The subscriber every Bull queue shares, apart from au's: Bull runs every message of its subscriber connection
   * through each queue's handler, which parses each completed message (result included) whether anyone listens or
   * not, so au's finish messages do not go through it. Made on Bull's first request (queues that only add jobs never
   * subscribe).
   */
  bullSubscriber(): Redis {
    this.bullEvents ??= this.createSubscriber('bull-events');
    return this.bullEvents;
  }

  private createSubscriber(name: string): Redis {
    const connection = connect(this.options.redis, {
      maxRetriesPerRequest: null,
      enableReadyCheck: false,
      retryStrategy,
      connectionName: `${this.options.prefix}:${name}`,
    });
    return this.watch(connection);
  }

  private watch(connection: Redis): Redis {
    // Every Bull queue listens on the shared connections: many listeners are expected, not a leak.
    connection.setMaxListeners(0);
    connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    return connection;
  }

  /** A new blocking connection for a Bull queue's worker loop. */
  createBlockingClient(): Redis {
    const client = connect(this.options.redis, {
      maxRetriesPerRequest: null,
      enableReadyCheck: false,
      retryStrategy,
      connectionName: `${this.options.prefix}:bclient`,
    });
    client.on('error', () => undefined);
    this.blocking.push(client);
    return client;
  }

  /** Drops the blocking connections at once, aborting in-flight job fetches (shutdown: take no new job). */
  abortBlockingFetches(): void {
    for (const client of this.blocking) client.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const c of this.blocking) c.disconnect();
    const connections = [this.client, this.subscriber, ...(this.bullEvents ? [this.bullEvents] : [])];
    await Promise.allSettled(connections.map((connection) => connection.quit()));
    // Only where QUIT did not end the connection (Redis away): on an ended one, ioredis' disconnect() arms a 2 s timer
    // for a close event that has already passed, which kept the process alive 2 s after shutdown.
    for (const connection of connections) if (connection.status !== 'end') connection.disconnect();
  }
}
