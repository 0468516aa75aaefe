import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { InvalidCursorError } from '../../../core/au.errors';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT } from '../../../core/au.tokens';
import { isFinished, TaskPage, TaskQuery, TaskRecord } from '../../../core/task-record';
import type { CompletedWake } from '../../../tasks/finish-waiters';
import type { ClaimAnswer, IdempotencyClaim } from '../../../tasks/idempotency-key';
import { outcomeOf, TaskOutcome, TaskStore } from '../../../tasks/task.store';
import { FinishMessages } from './finish-messages';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { defineTaskReader, TaskReaderClient, toRecord } from './redis-task.reader';
import { NewRecord, RedisTaskWriter } from './redis-task.writer';
import { TurnBatch } from './turn-batch';

interface PendingCreate extends NewRecord {
  /** With '' once created, else with the holder of the idempotency key it claimed (`id|task|inputHash`). */
  resolve: (holder: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Task records in Redis without writing them twice: Bull's job holds input, status, attempts, timings, progress,
 * result and error; au adds a small meta hash (task name, request id, parent id, cancelled flag) and the sorted sets
 * that list tasks (RedisTaskWriter). Waits wake on the finish messages this process hears (FinishMessages).
 */
@Injectable()
export class RedisTaskStore extends TaskStore {
  private readonly keys: RedisKeys;
  private readonly reader: TaskReaderClient;
  /** New records of this turn of the event loop, written by one command. */
  private readonly creating = new TurnBatch<PendingCreate>((batch) => this.writeCreates(batch));

  constructor(
    @Inject(AU_REDIS_CLIENT) private readonly client: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    private readonly writer: RedisTaskWriter,
    private readonly finish: FinishMessages,
  ) {
    super();
    this.keys = new RedisKeys(options.prefix);
    this.reader = defineTaskReader(client);
  }

  /**
   * Queued for one command with every record created in this turn of the event loop; resolves once Redis has them.
   * The worker that finishes the task sets the meta's TTL, unless it finished first.
   */
  create(record: TaskRecord, ttlSeconds: number): Promise<void> {
    this.finish.opened(record.id);
    return new Promise<void>((resolve, reject) => this.creating.add({ record, ttlSeconds, resolve: () => resolve(), reject }));
  }

  /** `create` with an idempotency key: the record is written only if no kept task holds the key (in one script). */
  createOnce(record: TaskRecord, ttlSeconds: number, claim: IdempotencyClaim): Promise<ClaimAnswer> {
    this.finish.opened(record.id);
    return new Promise<string>((resolve, reject) => this.creating.add({ record, ttlSeconds, claim, resolve, reject })).then((holder) => {
      if (holder === '') return { created: true };
      this.finish.forget(record.id);
      const [id, task, inputHash] = holder.split('|');
      return { created: false, id, task, inputHash };
    });
  }

  override async releaseClaim(claim: IdempotencyClaim, id: string): Promise<void> {
    await this.writer.releaseClaim(claim, id);
  }

  private writeCreates(batch: PendingCreate[]): void {
    this.writer.create(batch).then(
      (answers) => batch.forEach((c, i) => c.resolve(answers[i] ?? '')),
      (error: unknown) =>
        batch.forEach((c) => {
          this.finish.forget(c.record.id);
          c.reject(error);
        }),
    );
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const raw = await guardRedis('read the task', () => this.reader.auReadTask(this.keys.meta(id), this.keys.prefix, id));
    return toRecord(id, raw);
  }

  async list(query: TaskQuery): Promise<TaskPage> {
    const key = query.requestId
      ? this.keys.requestIndex(query.requestId)
      : query.owner !== undefined
        ? this.keys.ownerIndex(query.owner)
        : query.task
          ? this.keys.taskIndex(query.task)
          : this.keys.index();
    let max = '+inf';
    let after: { score: number; id: string } | undefined;
    if (query.cursor !== undefined) {
      const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(query.cursor);
      if (!match) throw new InvalidCursorError(query.cursor);
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
        if (!matches(record, query)) continue;
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
    for (let read = !this.finish.isOpen(id); ; read = true) {
      // Listen before reading, so a finish between the read and the wait is not missed.
      const woken = this.finish.wait(id, Math.max(0, deadline - Date.now()));
      if (read) {
        const record = await this.get(id);
        if (!record || isFinished(record.status) || Date.now() >= deadline) {
          this.finish.wake(id);
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

/** The filters of a listing, whichever index it reads (the index only narrows the candidates). */
function matches(record: TaskRecord, query: TaskQuery): boolean {
  if (query.task && record.task !== query.task) return false;
  if (query.status && record.status !== query.status) return false;
  if (query.requestId && record.requestId !== query.requestId) return false;
  return query.owner === undefined || record.owner === query.owner;
}
