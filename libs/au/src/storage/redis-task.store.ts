import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AU_OPTIONS } from '../au.constants';
import type { ResolvedAuOptions } from '../au.options';
import { guardRedis } from '../common/redis-unavailable.exception';
import { TASK_DEFINITIONS } from '../tasks/tasks.tokens';
import type { TaskDefinition } from '../tasks/task-definition';
import { CompletedWake, FinishWaiters } from './finish-waiters';
import { InvalidCursorException } from './invalid-cursor.exception';
import { OpenTasks } from './open-tasks';
import { TurnBatch } from './turn-batch';
import { AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER } from './redis.tokens';
import { RedisKeys } from './redis-keys';
import { defineTaskReader, parseResult, TaskReaderClient, toRecord } from './redis-task.reader';
import { defineTaskWriter, TaskWriterClient } from './redis-task.writer';
import { isFinished, TaskPage, TaskQuery, TaskRecord } from './task-record';
import { outcomeOf, TaskOutcome, TaskStore } from './task.store';

const JOB_ID_AHEAD = '{"jobId":"';

/** The job id a Bull finish message starts with (au's job ids are UUIDs: no escapes), if it is laid out that way. */
function leadingJobId(message: string): string | undefined {
  if (!message.startsWith(JOB_ID_AHEAD)) return undefined;
  const end = message.indexOf('"', JOB_ID_AHEAD.length);
  return end > JOB_ID_AHEAD.length ? message.slice(JOB_ID_AHEAD.length, end) : undefined;
}

/** Pending tasks keep their meta at most this long; a finished task's meta then expires after its TTL. */
const PENDING_BOUND_SECONDS = 7 * 24 * 3600;
const TRIM_EVERY_MS = 10_000;

interface PendingCreate {
  record: TaskRecord;
  ttlSeconds: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Task records in Redis without writing them twice: Bull's job holds input, status, attempts, timings, progress,
 * result and error; au adds a small meta hash (task name, request id, parent id, cancelled flag) and the sorted sets
 * that list tasks. Long-polls wake on Bull's completed/failed channels and au's cancel channel.
 */
@Injectable()
export class RedisTaskStore extends TaskStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisTaskStore.name);
  private readonly keys: RedisKeys;
  private readonly reader: TaskReaderClient;
  private readonly writer: TaskWriterClient;
  private readonly waiters = new FinishWaiters();
  /** Tasks created here whose end has not been heard: a wait on one starts listening without a read. */
  private readonly open = new OpenTasks();
  private readonly indexTtlSeconds: number;
  private lastTrim = 0;
  private subscribed = false;
  /** New records of this turn of the event loop, written by one command. */
  private readonly creating = new TurnBatch<PendingCreate>((batch) => this.writeCreates(batch));
  /** Finished tasks of this turn of the event loop whose meta is to expire, sent by one command. */
  private readonly expiring = new TurnBatch<{ key: string; ttlSeconds: number }>((batch) => this.writeExpiries(batch));

  constructor(
    @Inject(AU_REDIS_CLIENT) private readonly client: Redis,
    @Inject(AU_REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
  ) {
    super();
    this.keys = new RedisKeys(options.prefix);
    this.reader = defineTaskReader(client);
    this.writer = defineTaskWriter(client);
    const longestTtl = Math.max(options.resultTtlSeconds, ...definitions.map((d) => d.ttlSeconds ?? 0));
    this.indexTtlSeconds = longestTtl + 3600;
  }

  async onModuleInit(): Promise<void> {
    const channels = [this.keys.cancelChannel(), ...this.definitions.flatMap((d) => this.keys.finishedChannels(d.name))];
    const completedChannels = new Set(this.definitions.map((d) => this.keys.completedChannel(d.name)));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.cancelChannel()) return this.ended(message);
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

  /**
   * Bull's finish message, `{"jobId":"…","val":…}` (val: the result as JSON, on the completed channel). Every process
   * gets every task's message: only one whose task someone here waits on is parsed, result and all, and a turn of the
   * event loop later. If a worker of this process ran the task, the reply that finishes its job in Bull often comes
   * in the same turn as the message, just behind it, and then hands the waiters the record as well (completedHere):
   * waiting that turn spares them a read of the record (2 in 3 `?wait=` requests read it at concurrency 16 otherwise).
   */
  private finishMessage(message: string, completed: boolean, channel: string): void {
    const id = leadingJobId(message);
    if (id !== undefined && !this.waiters.isWaitedOn(id)) return this.open.ended(id);
    setImmediate(() => this.wakeOnMessage(message, completed, channel));
  }

  private wakeOnMessage(message: string, completed: boolean, channel: string): void {
    try {
      const { jobId, val } = JSON.parse(message) as { jobId?: string; val?: string };
      if (jobId) this.ended(jobId, completed ? { result: parseResult(val) } : undefined);
    } catch {
      this.logger.warn(`Unreadable message on ${channel}`);
    }
  }

  /**
   * A task completed by a worker of this process, which Redis already holds as completed: its waiters get the result
   * as Bull's completed message would give it (stored as JSON, so read back from JSON), without waiting for that
   * message, and with `record` the record as stored (built by the worker from the job), so that none has to read
   * it. The message still comes and finds nobody left to wake.
   */
  completedHere(id: string, result: unknown, record?: (storedResult: unknown) => TaskRecord): void {
    if (!this.waiters.isWaitedOn(id)) return;
    const stored = parseResult(JSON.stringify(result));
    this.ended(id, { result: stored, record: record?.(stored) });
  }

  private ended(id: string, wake?: CompletedWake): void {
    this.open.ended(id);
    this.waiters.notify(id, wake);
  }

  onModuleDestroy(): void {
    this.waiters.notifyAll();
  }

  /**
   * Queued for one command with every record created in this turn of the event loop; resolves once Redis has them.
   * The worker that finishes the task sets the meta's TTL (`expireFinished`), unless it finished first.
   */
  create(record: TaskRecord, ttlSeconds: number): Promise<void> {
    this.open.created(record.id);
    return new Promise<void>((resolve, reject) => this.creating.add({ record, ttlSeconds, resolve, reject }));
  }

  /** One auCreateTasks command for the batch (see redis-task.writer): seven values per record. */
  private writeCreates(batch: PendingCreate[]): void {
    const args: (string | number)[] = [this.keys.prefix, PENDING_BOUND_SECONDS, this.indexTtlSeconds, batch.length];
    for (const { record, ttlSeconds } of batch) {
      args.push(record.id, record.task, record.createdAt, ttlSeconds, record.maxAttempts, record.requestId ?? '', record.parentId ?? '');
    }
    const writes: Promise<unknown>[] = [this.writer.auCreateTasks(args)];
    const now = Date.now();
    if (now - this.lastTrim > TRIM_EVERY_MS) {
      this.lastTrim = now;
      const before = `(${now - this.indexTtlSeconds * 1000}`;
      writes.push(this.client.zremrangebyscore(this.keys.index(), '-inf', before));
      for (const d of this.definitions) writes.push(this.client.zremrangebyscore(this.keys.taskIndex(d.name), '-inf', before));
    }
    guardRedis('store the task', () => Promise.all(writes)).then(
      () => batch.forEach((c) => c.resolve()),
      (error: unknown) =>
        batch.forEach((c) => {
          this.open.ended(c.record.id);
          c.reject(error);
        }),
    );
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const raw = await guardRedis('read the task', () => this.reader.auReadTask(this.keys.meta(id), this.keys.prefix, id));
    return toRecord(id, raw);
  }

  /** Only cancellation writes here (everything else lives in Bull's job): it sets the flag and wakes waiters. */
  async update(id: string, patch: Partial<TaskRecord>): Promise<TaskRecord | undefined> {
    const fields: Record<string, string | number> = {};
    if (patch.status === 'cancelled') {
      fields.status = 'cancelled';
      fields.finishedAt = patch.finishedAt ?? Date.now();
    }
    if (Object.keys(fields).length) {
      await guardRedis('update the task', () =>
        this.client.multi().hset(this.keys.meta(id), fields).publish(this.keys.cancelChannel(), id).exec(),
      );
    }
    return this.get(id);
  }

  /**
   * Sets the finished task's meta to expire after its TTL (called by the worker). Batched: one command for every task
   * that finished in the same turn of the event loop. Should it never be sent (a crash), the meta still expires after
   * the pending bound it was created with.
   */
  expireFinished(id: string, ttlSeconds: number): void {
    this.expiring.add({ key: this.keys.meta(id), ttlSeconds });
  }

  private writeExpiries(batch: { key: string; ttlSeconds: number }[]): void {
    const keys = batch.map((b) => b.key);
    const ttls = batch.map((b) => b.ttlSeconds);
    this.writer.auExpireMany(batch.length, ...keys, ...ttls).catch(() => undefined);
  }

  async list(query: TaskQuery): Promise<TaskPage> {
    const key = query.requestId
      ? this.keys.requestIndex(query.requestId)
      : query.task
        ? this.keys.taskIndex(query.task)
        : this.keys.index();
    let max = '+inf';
    let after: { score: number; id: string } | undefined;
    if (query.cursor !== undefined) {
      const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(query.cursor);
      if (!match) throw new InvalidCursorException(query.cursor);
      after = { score: Number(match[1]), id: match[2] };
      max = match[1];
    }
    const items: TaskRecord[] = [];
    const batch = Math.min(200, query.limit * 2 + 10);
    let offset = 0;
    let scanned = 0;
    let last: { score: number; id: string } | undefined;
    while (items.length < query.limit && scanned < 2000) {
      const flat = await guardRedis('list tasks', () =>
        this.client.zrange(key, max, '-inf', 'BYSCORE', 'REV', 'LIMIT', offset, batch, 'WITHSCORES'),
      );
      if (flat.length === 0) break;
      offset += flat.length / 2;
      const candidates: { score: number; id: string }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const entry = { id: flat[i], score: Number(flat[i + 1]) };
        if (after && entry.score === after.score && entry.id >= after.id) continue;
        candidates.push(entry);
      }
      scanned += candidates.length;
      const pipeline = this.client.pipeline();
      for (const c of candidates) (pipeline as unknown as TaskReaderClient).auReadTask(this.keys.meta(c.id), this.keys.prefix, c.id);
      const results = (await guardRedis('list tasks', () => pipeline.exec())) ?? [];
      for (let i = 0; i < candidates.length && items.length < query.limit; i++) {
        const record = toRecord(candidates[i].id, results[i]?.[1] as never);
        if (!record) continue;
        if (query.task && record.task !== query.task) continue;
        if (query.status && record.status !== query.status) continue;
        items.push(record);
        last = candidates[i];
      }
      if (flat.length / 2 < batch) break;
    }
    const more = last !== undefined && items.length === query.limit;
    return { items, nextCursor: more ? `${last!.score}:${last!.id}` : undefined };
  }

  async waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord | undefined> {
    return (await this.waitUntilFinished(id, timeoutMs, false)) as TaskRecord | undefined;
  }

  /** A completed task's result comes with Bull's completed message: no second read of the record. */
  override waitForOutcome(id: string, timeoutMs: number): Promise<TaskOutcome | undefined> {
    return this.waitUntilFinished(id, timeoutMs, true).then((answer) => {
      if (!answer) return undefined;
      return 'id' in answer ? outcomeOf(answer) : { completed: true, result: answer.result };
    });
  }

  /**
   * The record once finished or at the deadline; with `resultWillDo`, a completed message's result instead. A task
   * this process created and has heard no end of is known to be unfinished: listening starts without reading it.
   */
  private async waitUntilFinished(id: string, timeoutMs: number, resultWillDo: boolean): Promise<TaskRecord | CompletedWake | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let read = !this.open.isOpen(id); ; read = true) {
      // Listen before reading, so a finish between the read and the wait is not missed.
      const woken = this.waiters.wait(id, Math.max(0, deadline - Date.now()));
      if (read) {
        const record = await this.get(id);
        if (!record || isFinished(record.status) || Date.now() >= deadline) {
          this.waiters.notify(id);
          await woken;
          return record;
        }
      }
      const wake = await woken;
      if (wake === false) return this.get(id);
      if (wake !== true) {
        if (resultWillDo) return wake;
        // Woken by a worker of this process, with the record it built from the job: nothing to read.
        if (wake.record) return wake.record;
      }
    }
  }
}
