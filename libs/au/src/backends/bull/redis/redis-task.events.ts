import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Socket } from 'node:net';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER } from '../../../core/au.tokens';
import { TaskChange, TaskChangeListener, TaskEventSource, TaskListeners, TaskStatusEventData } from '../../../tasks/task-events';
import { ChannelSubscriptions, Subscription } from './channel-subscriptions';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { holdWritesThisTurn } from './turn-writes';

/**
 * A task's changes through Redis pub/sub, whichever process runs it: Bull publishes that a job became active (an
 * attempt starts), its progress and its end (completed, failed) on its channels, au's cancel channel tells cancels,
 * and workers publish what Bull does not (a failed attempt waits to be retried) on au's events channel. A connection
 * of its own subscribes to the channels of the tasks followed here, only while someone follows one of them, so a
 * process pays nothing for events nobody follows, and running a task costs no message of au's own.
 */
const RESYNC: TaskChange = { type: 'resync' };
const STARTED: TaskChange = { type: 'started' };

@Injectable()
export class RedisTaskEvents extends TaskEventSource implements OnModuleDestroy {
  private readonly logger = new Logger(RedisTaskEvents.name);
  private readonly keys: RedisKeys;
  private readonly listeners = new TaskListeners();
  private subscriptions?: ChannelSubscriptions;

  constructor(
    @Inject(AU_REDIS_CLIENT) private readonly client: Redis,
    @Inject(AU_REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
  ) {
    super();
    this.keys = new RedisKeys(options.prefix);
  }

  /**
   * Tells every process that a failed attempt waits to be retried (a worker calls it, before Bull records the retry
   * in the same turn). The message and Bull's retry leave in one write, which Redis runs with nothing in between: a
   * follower that hears the message and reads the record finds the retry in it, and the next attempt's start comes
   * after the message.
   */
  publish(data: TaskStatusEventData): void {
    holdWritesThisTurn(this.client.stream as Socket | undefined);
    this.client.publish(this.keys.eventsChannel(), JSON.stringify(data)).catch(() => undefined);
  }

  async listen(id: string, task: string, listener: TaskChangeListener): Promise<() => void> {
    const subscription: Subscription = {
      channels: [this.keys.eventsChannel(), this.keys.cancelChannel(), this.keys.progressChannel(task), ...this.keys.finishedChannels(task)],
      patterns: [this.keys.activePattern(task)],
    };
    const subscriptions = (this.subscriptions ??= this.connect());
    const remove = this.listeners.add(id, listener);
    const unsubscribe = subscriptions.add(subscription);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      remove();
      unsubscribe();
    };
    try {
      await guardRedis('follow the task', () => subscriptions.ready(subscription));
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  /** Redis channels and patterns subscribed now, by this process's events connection. */
  channelCount(): number {
    return this.subscriptions?.size ?? 0;
  }

  onModuleDestroy(): void {
    this.subscriptions?.close();
  }

  private connect(): ChannelSubscriptions {
    const connection = this.subscriber.duplicate({ connectionName: `${this.keys.prefix}:events` });
    connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    connection.on('message', (channel: string, message: string) => this.message(channel, message));
    // Bull's active message is the bare job id: an attempt started, the one after the last status.
    connection.on('pmessage', (_pattern: string, _channel: string, id: string) => this.listeners.emit(id, STARTED));
    // Messages published while the connection was down are lost: once ioredis has subscribed again (the PING's answer
    // comes after the SUBSCRIBE it sends on 'ready'), every follower reads its record again.
    let connected = false;
    connection.on('ready', () => {
      if (!connected) return void (connected = true);
      setImmediate(() => connection.ping().then(() => this.listeners.emitAll(RESYNC), () => undefined));
    });
    return new ChannelSubscriptions(connection);
  }

  private message(channel: string, message: string): void {
    if (channel === this.keys.cancelChannel()) return this.listeners.emit(message, { type: 'ended' });
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(message) as Record<string, unknown>;
    } catch {
      return this.logger.warn(`Unreadable message on ${channel}`);
    }
    const id = String(parsed.jobId ?? parsed.id);
    if (!this.listeners.has(id)) return;
    let change: TaskChange;
    if (channel === this.keys.eventsChannel()) change = { type: 'status', data: parsed as unknown as TaskStatusEventData };
    else if (channel.endsWith(':progress')) change = { type: 'progress', data: { id, progress: parsed.progress } };
    else change = { type: 'ended' };
    this.listeners.emit(id, change);
  }
}
