import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_SUBSCRIBER, TASK_DEFINITIONS } from '../../../core/au.tokens';
import type { TaskRecord } from '../../../core/task-record';
import { CompletedWake, FinishWaiters } from '../../../tasks/finish-waiters';
import type { TaskDefinition } from '../../../tasks/task-definition';
import { OpenTasks } from './open-tasks';
import { parseResult } from './redis-task.reader';
import { RedisKeys } from './redis-keys';

const JOB_ID_AHEAD = '{"jobId":"';
/** Completions kept for a wait that has not started yet, at most; the oldest go first. */
const EARLY_BOUND = 1000;

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
 * What this process hears of tasks ending, wherever they ran: Bull's completed/failed channels of every task and au's
 * cancel channel, on au's own subscriber connection. Wakes the callers waiting for a task (long-polls, results) and
 * tells the worker of cancels; keeps which tasks created here are known to be unfinished, so a wait on one needs no
 * read of the record before it starts listening.
 */
@Injectable()
export class FinishMessages implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FinishMessages.name);
  private readonly keys: RedisKeys;
  private readonly waiters = new FinishWaiters();
  private readonly open = new OpenTasks();
  private readonly cancelListeners: ((id: string) => void)[] = [];
  /** Tasks created here that a worker of this process completed before anyone waited, until a wait takes them. */
  private readonly early = new Map<string, () => CompletedWake>();
  private subscribed = false;

  constructor(
    @Inject(AU_REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
  ) {
    this.keys = new RedisKeys(options.prefix);
  }

  async onModuleInit(): Promise<void> {
    const cancelChannel = this.keys.cancelChannel();
    const channels = [cancelChannel, ...this.definitions.flatMap((d) => this.keys.finishedChannels(d.name))];
    const completedChannels = new Set(this.definitions.map((d) => this.keys.completedChannel(d.name)));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === cancelChannel) return this.cancelled(message);
      this.finishMessage(message, completedChannels.has(channel), channel);
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

  /** True if `id` is known to be unfinished; false means "read it to know". */
  isOpen(id: string): boolean {
    return this.open.isOpen(id);
  }

  /** Resolves when the task ends (true, or what the message carried), false after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<boolean | CompletedWake> {
    const early = this.early.get(id);
    if (early === undefined) return this.waiters.wait(id, timeoutMs);
    this.early.delete(id);
    return Promise.resolve(early());
  }

  /** Wakes the waiters of `id` now (with nothing: they read the record). */
  wake(id: string): void {
    this.waiters.notify(id);
  }

  /**
   * A task completed by a worker of this process, which Redis already holds as completed: its waiters get the result
   * as Bull's completed message would give it (stored as JSON, so read back from JSON), without waiting for that
   * message, and with `record` the record as stored (built by the worker from the job), so that none has to read it.
   * The message still comes and finds nobody left to wake. A task created here whose wait has not started yet keeps
   * this for the wait to take (bounded), rather than making it wait for the message and read the record.
   */
  completedHere(id: string, result: unknown, record?: (storedResult: unknown) => TaskRecord): void {
    if (this.waiters.isWaitedOn(id)) return this.ended(id, completedWake(result, record));
    // Created here and not waited on yet: the submit may be about to wait (a `?wait=` whose task ran first).
    if (!this.open.isOpen(id)) return;
    if (this.early.size >= EARLY_BOUND) this.early.delete(this.early.keys().next().value!);
    this.early.set(id, () => completedWake(result, record));
  }

  private cancelled(id: string): void {
    this.ended(id);
    for (const listener of this.cancelListeners) listener(id);
  }

  /**
   * Bull's finish message, `{"jobId":"…","val":…}` (val: the result as JSON, on the completed channel). Every process
   * gets every task's message: only one whose task someone here waits on is parsed, and a turn of the event loop
   * later, so that a worker of this process that ran the task, whose reply from Bull often arrives just behind the
   * message, hands the waiters the record first (completedHere) and spares them a read.
   */
  private finishMessage(message: string, completed: boolean, channel: string): void {
    const id = leadingJobId(message);
    if (id !== undefined && !this.waiters.isWaitedOn(id)) return this.open.ended(id);
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
