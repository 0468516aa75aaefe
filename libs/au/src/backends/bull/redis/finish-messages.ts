import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_SUBSCRIBER, TASK_DEFINITIONS } from '../../../core/au.tokens';
import type { TaskRecord } from '../../../core/task-record';
import { CompletedWake, FinishWaiters } from '../../../tasks/finish-waiters';
import type { TaskDefinition } from '../../../tasks/task-definition';
import { ChannelSubscriptions } from './channel-subscriptions';
import { OpenTasks } from './open-tasks';
import { parseResult } from './redis-task.reader';
import { RedisKeys } from './redis-keys';
import { RedisConnections } from './redis.connections';

const JOB_ID_AHEAD = '{"jobId":"';

/** The job id a Bull finish message starts with (au's job ids are UUIDs: no escapes), if it is laid out that way. */
function leadingJobId(message: string): string | undefined {
  if (!message.startsWith(JOB_ID_AHEAD)) return undefined;
  const end = message.indexOf('"', JOB_ID_AHEAD.length);
  return end > JOB_ID_AHEAD.length ? message.slice(JOB_ID_AHEAD.length, end) : undefined;
}

/** A local completion as Bull's completed message would carry it (the result read back from JSON), with the record. */
function completedWake(result: unknown, record?: (storedResult: unknown) => TaskRecord): CompletedWake {
  const stored = parseResult(JSON.stringify(result));
  return { result: stored, record: record?.(stored) };
}

/**
 * What this process hears of tasks ending, wherever they ran, on au's own subscriber connection: au's cancel channel,
 * Bull's failed channel of every task, and of completions only those it needs. A task submitted here and completed
 * by a worker of this process wakes its waiters directly (completedHere); one completed elsewhere is announced on this
 * process's origin channel (RedisConnections.origin, see bull-finish.command); Bull's completed channel of a task is
 * heard only while someone here waits on a task submitted elsewhere (`follow`). So an API process hears the
 * completions of the tasks it created, not every task's. Wakes the callers waiting for a task (long-polls, results)
 * and tells the worker of cancels; keeps which tasks created here are known to be unfinished, so a wait on one needs
 * no read of the record before it starts listening.
 */
@Injectable()
export class FinishMessages implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FinishMessages.name);
  private readonly keys: RedisKeys;
  private readonly waiters = new FinishWaiters();
  private readonly open = new OpenTasks();
  private readonly cancelListeners: ((id: string) => void)[] = [];
  /** Bull's completed channels, each while someone here waits on a task of its queue submitted elsewhere. */
  private readonly followed: ChannelSubscriptions;
  private readonly originChannel: string;
  private subscribed = false;

  constructor(
    @Inject(AU_REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
    connections: RedisConnections,
  ) {
    this.keys = new RedisKeys(options.prefix);
    this.followed = new ChannelSubscriptions(subscriber);
    this.originChannel = this.keys.originCompletedChannel(connections.origin);
  }

  async onModuleInit(): Promise<void> {
    const cancelChannel = this.keys.cancelChannel();
    const tasks = this.definitions.map((d) => d.name);
    const channels = [cancelChannel, this.originChannel, ...tasks.map((task) => this.keys.failedChannel(task))];
    const followedChannels = new Set(tasks.map((task) => this.keys.completedChannel(task)));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === cancelChannel) return this.cancelled(message);
      if (channel === this.originChannel) return this.finishMessage(message, true, channel, false);
      const followed = followedChannels.has(channel);
      this.finishMessage(message, followed, channel, followed);
    });
    // A finish published while the subscription is down goes unheard: forget which tasks are known to be open, and
    // once subscribed again wake every waiter to read its record (ioredis resubscribes; subscribing again tells when).
    this.subscriber.on('close', () => this.open.setListening(false));
    this.subscriber.on('ready', () => {
      if (!this.subscribed) return;
      this.subscriber.subscribe(...channels).then(
        () => {
          this.open.setListening(true);
          this.waiters.notifyAll();
        },
        () => undefined,
      );
    });
    await this.subscriber.subscribe(...channels);
    this.subscribed = true;
    this.open.setListening(true);
  }

  onModuleDestroy(): void {
    this.waiters.notifyAll();
  }

  /**
   * Hears Bull's completed channel of `task` until `release`: for a wait on a task this process did not submit (or
   * no longer knows open), whose completion its origin's channel does not bring here. `ready` resolves once subscribed.
   */
  follow(task: string): { ready: Promise<void>; release: () => void } {
    const subscription = { channels: [this.keys.completedChannel(task)] };
    const release = this.followed.add(subscription);
    return { ready: this.followed.ready(subscription), release };
  }

  /** Calls `listener` with the id of every task cancelled from now on, by any process. */
  onCancel(listener: (id: string) => void): void {
    this.cancelListeners.push(listener);
  }

  /** A task created here: unfinished until its end is heard. */
  opened(id: string): void {
    this.open.created(id);
  }

  /** A task whose creation failed: nothing will end it. */
  forget(id: string): void {
    this.open.ended(id);
  }

  /**
   * True if `id` was created here and is known unfinished: its end will reach this process (a message on its origin
   * channel, or its own worker), so a wait needs no read of the record first. False means "read it to know".
   */
  isOpen(id: string): boolean {
    return this.open.isOpen(id);
  }

  /** Resolves when the task ends (true, or what the message carried), false after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<boolean | CompletedWake> {
    return this.waiters.wait(id, timeoutMs);
  }

  /** Wakes the waiters of `id` now (with nothing: they read the record). */
  wake(id: string): void {
    this.waiters.notify(id);
  }

  /**
   * A task completed by a worker of this process, which Redis already holds as completed: its waiters get the result
   * as Bull's completed message would give it (stored as JSON, so read back from JSON), without a message, and with
   * `record` the record as stored (built by the worker from the job), so that none has to read it. No message of it
   * comes to this process: a task created here that nobody waits on yet is no longer open (a wait reads it).
   */
  completedHere(id: string, result: unknown, record?: (storedResult: unknown) => TaskRecord): void {
    if (this.waiters.isWaitedOn(id)) return this.ended(id, completedWake(result, record));
    this.open.ended(id);
  }

  private cancelled(id: string): void {
    this.ended(id);
    for (const listener of this.cancelListeners) listener(id);
  }

  /**
   * Bull's finish message, `{"jobId":"…","val":…}` (val: the result as JSON, on a completed channel), from this
   * origin's channel, a failed channel or a followed completed channel: only one whose task someone here waits on is
   * parsed. One from a followed channel is parsed a turn of the event loop later (`defer`): a worker of this process
   * may have run the task, and its reply from Bull, often just behind the message, hands the waiters the record first
   * (completedHere) and spares them a read. An origin's message is of a task that ran elsewhere, and a failure has
   * no such shortcut: they wake the waiters at once.
   */
  private finishMessage(message: string, completed: boolean, channel: string, defer: boolean): void {
    const id = leadingJobId(message);
    if (id !== undefined && !this.waiters.isWaitedOn(id)) return this.open.ended(id);
    if (!defer) return this.wakeOnMessage(message, completed, channel, id);
    setImmediate(() => this.wakeOnMessage(message, completed, channel, id));
  }

  private wakeOnMessage(message: string, completed: boolean, channel: string, id: string | undefined): void {
    // Woken meanwhile (a worker of this process completed it): nothing to parse.
    if (id !== undefined && !this.waiters.isWaitedOn(id)) return;
    try {
      const { jobId, val } = JSON.parse(message) as { jobId?: string; val?: string };
      if (jobId) this.ended(jobId, completed ? { result: parseResult(val) } : undefined);
    } catch {
      this.logger.warn(`Unreadable message on ${channel}`);
    }
  }

  private ended(id: string, wake?: CompletedWake): void {
    this.open.ended(id);
    this.waiters.notify(id, wake);
  }
}
