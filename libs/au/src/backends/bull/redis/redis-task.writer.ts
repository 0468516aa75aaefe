import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT, TASK_DEFINITIONS } from '../../../core/au.tokens';
import type { TaskRecord } from '../../../core/task-record';
import type { IdempotencyClaim } from '../../../tasks/idempotency-key';
import { TaskDefinition, ttlSecondsOf } from '../../../tasks/task-definition';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { TurnBatch } from './turn-batch';

/**
 * New records, atomic per record like MULTI but without its cost: each record's meta hash and its listing indexes. One
 * command carries every record submitted in the same turn of the event loop, as ten plain values per record: the
 * script builds the key names (the layout of RedisKeys) rather than Node sending them. Bull may add, run and finish
 * the job before this arrives (a worker in another process, an API busy with a burst), in which case the worker's
 * expiry of the meta came too early to apply: the meta then gets the task's TTL at once, else the pending bound.
 * A record with an idempotency key is created only if no task whose meta is still kept holds the key (SET, with the
 * pending bound; the key then expires with the meta): one claim wins, in whatever process. Answers, per record, ''
 * when created, else what the key holds (`id|task|inputHash`).
 * No KEYS. ARGV: prefix, pending bound (s), index TTL (s), the number of records, then per record: id, task,
 * createdAt, TTL (s), maxAttempts, requestId or '', parentId or '', owner or '', idempotency key or '', its value.
 */
const CREATE_TASKS = `
local prefix, pending, indexTtl = ARGV[1], ARGV[2], ARGV[3]
local au = prefix .. ':_au:'
local a = 5
local answers = {}
for n = 1, tonumber(ARGV[4]) do
  local id, task, createdAt, ttl, maxAttempts, requestId, parentId, owner, idem, claim = unpack(ARGV, a, a + 9)
  local holder = idem ~= '' and redis.call('GET', idem)
  if holder and redis.call('EXISTS', au .. 'task:' .. string.match(holder, '^[^|]+')) == 1 then
    answers[n] = holder
  else
    answers[n] = ''
    local meta = au .. 'task:' .. id
    local fields = { 'task', task, 'createdAt', createdAt, 'maxAttempts', maxAttempts }
    if requestId ~= '' then fields[7], fields[8] = 'requestId', requestId end
    if parentId ~= '' then fields[#fields + 1], fields[#fields + 2] = 'parentId', parentId end
    if owner ~= '' then fields[#fields + 1], fields[#fields + 2] = 'owner', owner end
    if idem ~= '' then
      fields[#fields + 1], fields[#fields + 2] = 'idem', idem
      redis.call('SET', idem, claim, 'EX', pending)
    end
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
    if owner ~= '' then
      local byOwner = au .. 'tasks:by-owner:' .. owner
      redis.call('ZADD', byOwner, createdAt, id)
      redis.call('ZREMRANGEBYSCORE', byOwner, '-inf', '(' .. (tonumber(createdAt) - indexTtl * 1000))
      redis.call('EXPIRE', byOwner, indexTtl)
    end
  end
  a = a + 10
end
return answers
`;

/** EXPIRE of many metas in one command: KEYS[i] gets ARGV[i] seconds, and so does the idempotency key it holds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do
  redis.call('EXPIRE', key, ARGV[i])
  local idem = redis.call('HGET', key, 'idem')
  if idem then redis.call('EXPIRE', idem, ARGV[i]) end
end
return #KEYS
`;

/** DEL of KEYS[1] if it still holds ARGV[1]: frees an idempotency key only for the task that claimed it. */
const RELEASE_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface TaskWriterClient extends Redis {
  /** The ARGV above, as one array; per record, '' if created, else the holder of its idempotency key. */
  auCreateTasks(args: (string | number)[]): Promise<string[]>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
  auReleaseClaim(key: string, value: string): Promise<number>;
}

/** Pending tasks keep their meta at most this long; a finished task's meta then expires after its TTL. */
const PENDING_BOUND_SECONDS = 7 * 24 * 3600;
const TRIM_EVERY_MS = 10_000;

/** A new record, how long it is kept once finished, and the idempotency key it claims, if any. */
export interface NewRecord {
  record: TaskRecord;
  ttlSeconds: number;
  claim?: IdempotencyClaim;
}

/** What an idempotency key holds in Redis: `id|task|inputHash` (none of which contains `|`). */
export function claimValue(id: string, claim: IdempotencyClaim): string {
  return `${id}|${claim.task}|${claim.inputHash}`;
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
    if (!this.client.auReleaseClaim) client.defineCommand('auReleaseClaim', { numberOfKeys: 1, lua: RELEASE_CLAIM });
    const longestTtl = Math.max(options.resultTtlSeconds, ...definitions.map((d) => ttlSecondsOf(d, 0)));
    this.indexTtlSeconds = longestTtl + 3600;
  }

  /**
   * One auCreateTasks command for all the records (ten values each); the indexes are trimmed now and then. Resolves
   * with one answer per record: '' if created, else the holder of the idempotency key it claimed.
   */
  create(batch: NewRecord[]): Promise<string[]> {
    const args: (string | number)[] = [this.keys.prefix, PENDING_BOUND_SECONDS, this.indexTtlSeconds, batch.length];
    for (const { record, ttlSeconds, claim } of batch) {
      args.push(record.id, record.task, record.createdAt, ttlSeconds, record.maxAttempts, record.requestId ?? '', record.parentId ?? '');
      args.push(record.owner ?? '', claim ? this.keys.idempotency(claim.scope) : '', claim ? claimValue(record.id, claim) : '');
    }
    const created = this.client.auCreateTasks(args);
    const writes: Promise<unknown>[] = [created];
    const now = Date.now();
    if (now - this.lastTrim > TRIM_EVERY_MS) {
      this.lastTrim = now;
      const before = `(${now - this.indexTtlSeconds * 1000}`;
      writes.push(this.client.zremrangebyscore(this.keys.index(), '-inf', before));
      for (const d of this.definitions) writes.push(this.client.zremrangebyscore(this.keys.taskIndex(d.name), '-inf', before));
    }
    return guardRedis('store the task', () => Promise.all(writes).then(() => created));
  }

  /** Frees the idempotency key `claim` gave task `id`, if it still holds it (the task could not be queued). */
  releaseClaim(claim: IdempotencyClaim, id: string): Promise<unknown> {
    return guardRedis('free the idempotency key', () => this.client.auReleaseClaim(this.keys.idempotency(claim.scope), claimValue(id, claim)));
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
