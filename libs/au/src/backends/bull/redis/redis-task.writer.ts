import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT, TASK_DEFINITIONS } from '../../../core/au.tokens';
import type { TaskRecord } from '../../../core/task-record';
import { TaskDefinition, ttlSecondsOf } from '../../../tasks/task-definition';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { TurnBatch } from './turn-batch';

/**
 * New records, atomic per record like MULTI but without its cost: each record's meta hash and its listing indexes. One
 * command carries every record submitted in the same turn of the event loop, as eight plain values per record: the
 * script builds the key names (the layout of RedisKeys) rather than Node sending them. Bull may add, run and finish
 * the job before this arrives (a worker in another process, an API busy with a burst), in which case the worker's
 * expiry of the meta came too early to apply: the meta then gets the task's TTL at once, else the pending bound.
 * No KEYS. ARGV: prefix, pending bound (s), index TTL (s), the number of records, then per record: id, task,
 * createdAt, TTL (s), maxAttempts, requestId or '', parentId or '', traceId or ''.
 */
const CREATE_TASKS = `
local prefix, pending, indexTtl = ARGV[1], ARGV[2], ARGV[3]
local au = prefix .. ':_au:'
local a = 5
for _ = 1, tonumber(ARGV[4]) do
  local id, task, createdAt, ttl, maxAttempts, requestId, parentId, traceId = unpack(ARGV, a, a + 7)
  local meta = au .. 'task:' .. id
  local fields = { 'task', task, 'createdAt', createdAt, 'maxAttempts', maxAttempts }
  if requestId ~= '' then fields[7], fields[8] = 'requestId', requestId end
  if parentId ~= '' then fields[#fields + 1], fields[#fields + 2] = 'parentId', parentId end
  if traceId ~= '' then fields[#fields + 1], fields[#fields + 2] = 'traceId', traceId end
  redis.call('HSET', meta, unpack(fields))
  local finished = redis.call('HEXISTS', prefix .. ':' .. task .. ':' .. id, 'finishedOn') == 1
  redis.call('EXPIRE', meta, finished and ttl or pending)
  redis.call('ZADD', au .. 'tasks', createdAt, id)
  redis.call('ZADD', au .. 'tasks:by-task:' .. task, createdAt, id)
  if requestId ~= '' then
    local byRequest = au .. 'tasks:by-request:' .. requestId
    redis.call('ZADD', byRequest, createdAt, id)
    redis.call('EXPIRE', byRequest, indexTtl)
  end
  a = a + 8
end
return ARGV[4]
`;

/** EXPIRE of many keys in one command: KEYS[i] gets ARGV[i] seconds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
`;

interface TaskWriterClient extends Redis {
  /** The ARGV above, as one array. */
  auCreateTasks(args: (string | number)[]): Promise<unknown>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
}

/** Pending tasks keep their meta at most this long; a finished task's meta then expires after its TTL. */
const PENDING_BOUND_SECONDS = 7 * 24 * 3600;
const TRIM_EVERY_MS = 10_000;

/** A new record and how long it is kept once finished. */
export interface NewRecord {
  record: TaskRecord;
  ttlSeconds: number;
}

/**
 * What au writes to Redis beside Bull's jobs: new records (meta hash and listing indexes), the cancelled flag, and
 * the expiry of a finished task's meta. Bull's job holds everything else of a task's life.
 */
@Injectable()
export class RedisTaskWriter {
  private readonly keys: RedisKeys;
  private readonly client: TaskWriterClient;
  private readonly indexTtlSeconds: number;
  private lastTrim = 0;
  /** Finished tasks of this turn of the event loop whose meta is to expire, sent by one command. */
  private readonly expiring = new TurnBatch<{ key: string; ttlSeconds: number }>((batch) => this.writeExpiries(batch));

  constructor(
    @Inject(AU_REDIS_CLIENT) client: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
  ) {
    this.keys = new RedisKeys(options.prefix);
    this.client = client as TaskWriterClient;
    if (!this.client.auCreateTasks) client.defineCommand('auCreateTasks', { numberOfKeys: 0, lua: CREATE_TASKS });
    if (!this.client.auExpireMany) client.defineCommand('auExpireMany', { lua: EXPIRE_MANY });
    const longestTtl = Math.max(options.resultTtlSeconds, ...definitions.map((d) => ttlSecondsOf(d, 0)));
    this.indexTtlSeconds = longestTtl + 3600;
  }

  /** One auCreateTasks command for all the records (eight values each); the indexes are trimmed now and then. */
  create(batch: NewRecord[]): Promise<unknown> {
    const args: (string | number)[] = [this.keys.prefix, PENDING_BOUND_SECONDS, this.indexTtlSeconds, batch.length];
    for (const { record, ttlSeconds } of batch) {
      args.push(record.id, record.task, record.createdAt, ttlSeconds, record.maxAttempts, record.requestId ?? '', record.parentId ?? '', record.traceId ?? '');
    }
    const writes: Promise<unknown>[] = [this.client.auCreateTasks(args)];
    const now = Date.now();
    if (now - this.lastTrim > TRIM_EVERY_MS) {
      this.lastTrim = now;
      const before = `(${now - this.indexTtlSeconds * 1000}`;
      writes.push(this.client.zremrangebyscore(this.keys.index(), '-inf', before));
      for (const d of this.definitions) writes.push(this.client.zremrangebyscore(this.keys.taskIndex(d.name), '-inf', before));
    }
    return guardRedis('store the task', () => Promise.all(writes));
  }

  /** Flags the task cancelled (a worker that picks its job up from now on discards it) and tells every process. */
  markCancelled(id: string, finishedAt: number): Promise<unknown> {
    return guardRedis('cancel the task', () =>
      this.client.multi().hset(this.keys.meta(id), { status: 'cancelled', finishedAt }).publish(this.keys.cancelChannel(), id).exec(),
    );
  }

  /**
   * Sets a finished task's meta to expire after its TTL, with every other task that finished in the same turn of the
   * event loop. Should it never be sent (a crash), the meta still expires after the pending bound it was created with.
   */
  expireFinished(id: string, ttlSeconds: number): void {
    this.expiring.add({ key: this.keys.meta(id), ttlSeconds });
  }

  private writeExpiries(batch: { key: string; ttlSeconds: number }[]): void {
    const keys = batch.map((b) => b.key);
    const ttls = batch.map((b) => b.ttlSeconds);
    this.client.auExpireMany(batch.length, ...keys, ...ttls).catch(() => undefined);
  }
}
