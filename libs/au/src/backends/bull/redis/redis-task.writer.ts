import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { ResolvedAuOptions } from '../../../core/au.options';
import { AU_OPTIONS, AU_REDIS_CLIENT, TASK_DEFINITIONS } from '../../../core/au.tokens';
import type { TaskRecord } from '../../../core/task-record';
import type { ClaimAnswer, IdempotencyClaim } from '../../../tasks/idempotency-key';
import { failedTtlSecondsOf, TaskDefinition, ttlSecondsOf } from '../../../tasks/task-definition';
import { bull } from './bull-internals';
import { guardRedis } from './guard-redis';
import { RedisKeys } from './redis-keys';
import { addTaskScript, CANCEL_TASK, TRIM_TASKS } from './redis-task.scripts';
import { RedisConnections } from './redis.connections';

/** The add script's answer: the job id, or `['held', holder]` when the idempotency key is held. */
type AddAnswer = string | ['held', string];

interface TaskWriterClient extends Redis {
  auAddTask(keysAndArgs: unknown[]): Promise<AddAnswer>;
  auCancelTask(...keysAndArgs: (string | number)[]): Promise<number>;
  auTrimTasks(...args: (string | number)[]): Promise<number>;
}

const TRIM_EVERY_MS = 10_000;
/** Where Bull's addJob puts the job's options among its keys and arguments: ARGV[5], after its 6 keys. */
const BULL_OPTS_ARG = 6 + 4;
/** How long an idempotency key is kept at most; it holds its task only while the task's record is kept. */
const CLAIM_SECONDS = 7 * 24 * 3600;
/** Jobs let go of per set and trim; more wait for the next one. */
const TRIM_BATCH = 1000;

/** What `cancel` found: no such job, a finished one, or one it cancelled while pending or running. */
export type CancelState = 'unknown' | 'finished' | 'pending' | 'running';
const CANCEL_STATES: Record<number, CancelState> = { 0: 'unknown', [-1]: 'finished', 1: 'pending', 2: 'running' };

/**
 * What au writes to Redis: a new task as its Bull job plus au's fields and listing entries, in the one script call a
 * bare `queue.add` makes; a cancel; and, every few seconds from one process at a time, the removal of jobs and listing
 * entries past their TTL, in bulk (Bull's own per-job removal is off).
 */
@Injectable()
export class RedisTaskWriter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisTaskWriter.name);
  private readonly keys: RedisKeys;
  private readonly client: TaskWriterClient;
  private readonly indexTtlSeconds: number;
  private readonly ttls: (string | number)[];
  /** Per task, how long its record is kept once finished: `completedMs|failedMs`, as an idempotency key holds it. */
  private readonly keptFor = new Map<string, string>();
  /** After the task's name in the add script's first argument of au's: `|index TTL (s)|idempotency key TTL (s)|origin`. */
  private readonly addConfigTail: string;
  private readonly token = randomUUID();
  /** Queues whose `isReady()` has resolved. */
  private readonly ready = new WeakSet<Queue>();
  private trimmer?: NodeJS.Timeout;

  constructor(
    @Inject(AU_REDIS_CLIENT) client: Redis,
    @Inject(AU_OPTIONS) options: ResolvedAuOptions,
    @Inject(TASK_DEFINITIONS) definitions: TaskDefinition[],
    connections: RedisConnections,
  ) {
    this.keys = new RedisKeys(options.prefix);
    this.client = client as TaskWriterClient;
    if (!this.client.auAddTask) client.defineCommand('auAddTask', { numberOfKeys: 6, lua: addTaskScript(bull().addJobLua) });
    if (!this.client.auCancelTask) client.defineCommand('auCancelTask', { numberOfKeys: 6, lua: CANCEL_TASK });
    if (!this.client.auTrimTasks) client.defineCommand('auTrimTasks', { numberOfKeys: 0, lua: TRIM_TASKS });
    const ttl = (d: TaskDefinition) => ttlSecondsOf(d, options.resultTtlSeconds);
    const failedTtl = (d: TaskDefinition) => failedTtlSecondsOf(d, options);
    // Failed and cancelled tasks stay listed as long as they are kept (the dead-letter list).
    this.indexTtlSeconds = Math.max(options.resultTtlSeconds, failedTtlSecondsOf(undefined, options), ...definitions.map(failedTtl)) + 3600;
    this.ttls = definitions.flatMap((d) => [d.name, ttl(d) * 1000, failedTtl(d) * 1000]);
    for (const d of definitions) this.keptFor.set(d.name, `${ttl(d) * 1000}|${failedTtl(d) * 1000}`);
    this.addConfigTail = `|${this.indexTtlSeconds}|${CLAIM_SECONDS}|${connections.origin}`;
  }

  onModuleInit(): void {
    this.trimmer = setInterval(() => this.trim(), TRIM_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.trimmer);
  }

  /** `add` with the claim's idempotency key: only if it is not held by a task still kept; else answers the holder. */
  addOnce(queue: Queue, record: TaskRecord, data: unknown, options: JobOptions, claim: IdempotencyClaim): Promise<ClaimAnswer> {
    return this.add(queue, record, data, options, claim).then((answer) => {
      if (!Array.isArray(answer)) return { created: true };
      const [id, task, inputHash] = answer[1].split('|');
      return { created: false, id, task, inputHash };
    });
  }

  /**
   * Adds the task's job to its queue (as `queue.add(data, options)` would) with au's fields and listing entries.
   * Answers the job id, or with a claim already held `['held', holder]` (see `addOnce`).
   */
  add(queue: Queue, record: TaskRecord, data: unknown, options: JobOptions, claim?: IdempotencyClaim): Promise<AddAnswer> {
    const { Job, scripts } = bull();
    const job = new Job(queue, data, options);
    const au = [
      record.task + this.addConfigTail,
      record.requestId ?? '',
      record.owner ?? '',
      record.parentId ?? '',
      record.traceId ?? '',
      claim ? this.keys.idempotency(claim.scope) : '',
      claim ? `${record.id}|${claim.task}|${claim.inputHash}|${this.keptFor.get(record.task) ?? '0|0'}` : '',
    ];
    const { jobId, lifo, priority } = options;
    const send = () => {
      const jobData = job.toData();
      // Bull packs the options' JSON into msgpack, the one Buffer among the arguments, which turns ioredis' whole
      // command into buffers: the JSON goes as it is and the script packs it (addTaskScript). Bull packs '' instead.
      const opts = jobData.opts;
      jobData.opts = '';
      const client = {
        addJob: (bullKeysAndArgs: unknown[]) => {
          bullKeysAndArgs[BULL_OPTS_ARG] = opts;
          return this.client.auAddTask(bullKeysAndArgs.concat(au));
        },
      };
      return scripts.addJob<AddAnswer>(client, queue, jobData, { customJobId: jobId, lifo, priority });
    };
    // A queue is ready once and for good (Bull's `isReady` then answers at once): no promise to wait on after that.
    const adding = this.ready.has(queue) ? send : () => queue.isReady().then(() => (this.ready.add(queue), send()));
    return guardRedis('queue the task', adding);
  }

  /** Cancels the task unless it finished; tells every process. */
  cancel(task: string, id: string): Promise<CancelState> {
    const key = (type: string) => this.keys.bull(task, type);
    const keys = [key(id), key('wait'), key('paused'), key('delayed'), key('priority'), key('failed')];
    return guardRedis('cancel the task', () =>
      this.client.auCancelTask(...keys, id, Date.now(), this.keys.cancelChannel()).then((state) => CANCEL_STATES[state]),
    );
  }

  /** A finished task's job made ready to run again: no cancelled flag, and `opts` (its raised attempts). */
  reopen(task: string, id: string, opts: object): Promise<unknown> {
    const key = this.keys.bull(task, id);
    return guardRedis('retry the task', () => this.client.multi().hdel(key, 'auCancelledAt').hset(key, 'opts', JSON.stringify(opts)).exec());
  }

  /** Whether the task is flagged cancelled (a worker that heard a cancel checks this before dropping a job). */
  async isCancelled(task: string, id: string): Promise<boolean> {
    return (await this.client.hexists(this.keys.bull(task, id), 'auCancelledAt')) === 1;
  }

  /** One trim of what has expired, by whichever process takes the turn's lock first. */
  private trim(): void {
    const now = Date.now();
    this.client
      .set(this.keys.trimLock(), this.token, 'PX', TRIM_EVERY_MS - 500, 'NX')
      .then((taken) => {
        if (taken !== 'OK') return undefined;
        const indexCutoff = now - this.indexTtlSeconds * 1000;
        return this.client.auTrimTasks(this.keys.prefix, now, TRIM_BATCH, this.keys.root, indexCutoff, ...this.ttls);
      })
      .catch((error: Error) => this.logger.warn(`Trimming expired tasks failed: ${error.message}`));
  }
}
