import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { InvalidCursorError } from '../../../core/au.errors';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT, TASK_DEFINITIONS } from '../../../core/au.tokens';
import { isFinished, TaskPage, TaskQuery, TaskRecord } from '../../../core/task-record';
import type { CompletedWake } from '../../../tasks/finish-waiters';
import { failedTtlSecondsOf, TaskDefinition, ttlSecondsOf } from '../../../tasks/task-definition';
import { outcomeOf, TaskOutcome, TaskStore } from '../../../tasks/task.store';
import { FinishMessages } from './finish-messages';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { defineTaskReader, RawTask, RecordTtls, TaskReaderClient, toRecord } from './redis-task.reader';
import { TaskIds } from './task-ids';

/** Candidates a listing reads at most per call; past it the page ends early with a cursor to go on from. */
const LIST_SCAN_BOUND = 2000;

/**
 * Task records in Redis, written once: a task's record is its Bull job (input, status, attempts, timings, progress,
 * result, error) with a few fields of au's, added with the job in one script (RedisTaskWriter); sorted sets list
 * tasks. Ids carry their task (TaskIds), so a read is one script call on the job. Waits wake on the finish messages
 * this process hears (FinishMessages).
 */
@Injectable()
export class RedisTaskStore extends TaskStore {
  private readonly keys: RedisKeys;
  private readonly reader: TaskReaderClient;
  private readonly ids: TaskIds;
  private readonly ttls = new Map<string, RecordTtls>();

  constructor(
    @Inject(AU_REDIS_CLIENT) private readonly client: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) definitions: TaskDefinition[],
    private readonly finish: FinishMessages,
  ) {
    super();
    this.keys = new RedisKeys(options.prefix);
    this.reader = defineTaskReader(client);
    this.ids = new TaskIds(definitions.map((d) => d.name));
    for (const d of definitions) {
      this.ttls.set(d.name, { completedMs: ttlSecondsOf(d, options.resultTtlSeconds) * 1000, failedMs: failedTtlSecondsOf(d, options) * 1000 });
    }
  }

  private ttlsOf(task: string): RecordTtls {
    return this.ttls.get(task) ?? { completedMs: 0, failedMs: 0 };
  }

  override newId(task: string): string {
    return this.ids.newId(task);
  }

  /**
   * Writes nothing: the record is the task's Bull job, which the backend adds (with au's fields and listing entries)
   * in the same call as `enqueue`. What it does note is that the task is open: a wait on it needs no read at first.
   */
  create(record: TaskRecord): void {
    this.finish.opened(record.id);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const task = this.ids.taskOf(id);
    if (task === undefined) return undefined;
    const raw = await guardRedis('read the task', () => this.reader.auReadTask(this.keys.bull(task, id), this.keys.bull(task, 'active'), id));
    return toRecord(id, task, raw, this.ttlsOf(task));
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
    let exhausted = false;
    let last: { score: number; id: string } | undefined;
    while (items.length < query.limit && scanned < LIST_SCAN_BOUND) {
      const flat = await guardRedis('list tasks', () =>
        this.client.zrange(key, max, '-inf', 'BYSCORE', 'REV', 'LIMIT', offset, batch, 'WITHSCORES'),
      );
      offset += flat.length / 2;
      const candidates: { score: number; id: string; task?: string }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const entry = { id: flat[i], score: Number(flat[i + 1]), task: this.ids.taskOf(flat[i]) };
        if (after && entry.score === after.score && entry.id >= after.id) continue;
        candidates.push(entry);
      }
      const pipeline = this.client.pipeline() as unknown as TaskReaderClient & ReturnType<Redis['pipeline']>;
      for (const c of candidates) if (c.task) pipeline.auReadTask(this.keys.bull(c.task, c.id), this.keys.bull(c.task, 'active'), c.id);
      const results = (await guardRedis('list tasks', () => pipeline.exec())) ?? [];
      let read = 0;
      let seen = 0;
      for (; seen < candidates.length && items.length < query.limit; seen++) {
        const c = candidates[seen];
        scanned++;
        last = c;
        if (!c.task) continue;
        const record = toRecord(c.id, c.task, results[read++]?.[1] as RawTask | null, this.ttlsOf(c.task));
        if (record && matches(record, query)) items.push(record);
      }
      if (flat.length / 2 < batch) {
        // The end of the list: nothing is left past the last entry looked at if every candidate was.
        exhausted = seen === candidates.length;
        break;
      }
    }
    // A full page, or a scan that stopped at its bound, goes on from the last entry looked at.
    const more = last !== undefined && !exhausted;
    return { items, nextCursor: more ? `${last!.score}:${last!.id}` : undefined };
  }

  waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord | undefined> {
    return this.waitUntilFinished(id, timeoutMs, false) as Promise<TaskRecord | undefined>;
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
   * this process created and has heard no end of is known to be unfinished: listening starts without reading it, and
   * its end reaches this process anyway. Any other task's completion is heard on Bull's completed channel of its
   * queue, followed from before the first read until the wait ends. (Chained with `then` rather than an `async`
   * loop: under nestjs-cls' async hooks every promise has a cost, and every wait for a result runs this.)
   */
  private waitUntilFinished(id: string, timeoutMs: number, resultWillDo: boolean): Promise<TaskRecord | CompletedWake | undefined> {
    const deadline = Date.now() + timeoutMs;
    if (this.finish.isOpen(id)) return this.listen(id, deadline, resultWillDo, false);
    const task = this.ids.taskOf(id);
    if (task === undefined) return this.listen(id, deadline, resultWillDo, true);
    const { ready, release } = this.finish.follow(task);
    return guardRedis('follow the task', () => ready)
      .then(() => this.listen(id, deadline, resultWillDo, true))
      .finally(release);
  }

  /** One round: listens, reads the record first if `read` (listening before, so a finish between is not missed). */
  private listen(id: string, deadline: number, resultWillDo: boolean, read: boolean): Promise<TaskRecord | CompletedWake | undefined> {
    const woken = this.finish.wait(id, Math.max(0, deadline - Date.now()));
    const woke = (wake: boolean | CompletedWake) => this.afterWake(id, deadline, resultWillDo, wake);
    if (!read) return woken.then(woke);
    return this.get(id).then((record) => {
      if (!record || isFinished(record.status) || Date.now() >= deadline) {
        this.finish.wake(id);
        return woken.then(() => record);
      }
      return woken.then(woke);
    });
  }

  private afterWake(id: string, deadline: number, resultWillDo: boolean, wake: boolean | CompletedWake): Promise<TaskRecord | CompletedWake | undefined> | TaskRecord | CompletedWake {
    if (wake === false) return this.get(id);
    if (wake !== true) {
      if (resultWillDo) return wake;
      // Woken by a worker of this process, with the record it built from the job: nothing to read.
      if (wake.record) return wake.record;
    }
    return this.listen(id, deadline, resultWillDo, true);
  }
}

/** The filters of a listing, whichever index it reads (the index only narrows the candidates). */
function matches(record: TaskRecord, query: TaskQuery): boolean {
  if (query.task && record.task !== query.task) return false;
  if (query.status && record.status !== query.status) return false;
  if (query.requestId && record.requestId !== query.requestId) return false;
  return query.owner === undefined || record.owner === query.owner;
}
