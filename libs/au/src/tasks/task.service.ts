import { Inject, Injectable } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../core/au.constants';
import type { ResolvedAuOptions } from '../core/au.options';
import { AU_OPTIONS } from '../core/au.tokens';
import { isFinished, TaskPage, TaskQuery, TaskRecord } from '../core/task-record';
import { TaskBackend } from './task.backend';
import { ttlSecondsOf } from './task-definition';
import { TaskHandle, TaskHandleSource } from './task.handle';
import { TaskOutcome, TaskStore } from './task.store';
import { TaskAlreadyFinishedException, TaskNotFoundException, UnknownTaskException } from './task.exceptions';
import { idempotencyClaim, parseIdempotencyKey } from './idempotency-key';
import { IdempotencyKeyReusedException } from './idempotency.exceptions';
import { TaskHooks } from './task-hooks';
import { RegisteredTask, TaskRegistry } from './task.registry';
import { checkQueueingOptions, QueueingOptions } from './submit-options';
import { TaskNotRetryableException } from './task-not-retryable.exception';
import { SubmitSpan } from './task-tracing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SubmitOptions extends QueueingOptions {
  /** Default: the request id of the current HTTP request or task (CLS). */
  requestId?: string;
  /** Default: the id of the task this code runs in, if any. */
  parentId?: string;
  /** Default: the owner of the task this code runs in, if any (see `forRoot({ owner })`). */
  owner?: string;
  /**
   * A repeat with the same key (and owner) answers the task the first submit created, running nothing new, while
   * that task is kept; the same key for another task or another input throws `IdempotencyKeyReusedException` (422).
   */
  idempotencyKey?: string;
}

/** Whose tasks a read may see: `owner` set, only that owner's (others' are not found); unset, every task. */
export interface TaskScope {
  owner?: string;
}

/** A submit's record, and whether it is the one an earlier submit with the same idempotency key created. */
export interface SubmitAnswer {
  record: TaskRecord;
  replayed: boolean;
}

/**
 * The programmatic API, and what the generated controllers call: submit, read, list, wait, cancel.
 * Submitting from inside a task passes the request id on and records the parent.
 */
@Injectable()
export class TaskService implements TaskHandleSource {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly store: TaskStore,
    private readonly backend: TaskBackend,
    private readonly hooks: TaskHooks,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {}

  /**
   * Submits a task by name; `input` is passed to the method as is (HTTP bodies are validated before this).
   * (The submit methods chain with `then` rather than adding an `async` layer each: under nestjs-cls' async hooks
   * every promise has a cost, and these run once per task.)
   */
  submit<T = unknown>(name: string, input: unknown, options: SubmitOptions = {}): Promise<TaskHandle<T>> {
    return this.submitThen(name, input, options, (record) => new TaskHandle<T>(this, record.id, record.task));
  }

  /** Like `submit`, resolving with the new record (or, for a repeated idempotency key, the first one's). */
  submitRecord(name: string, input: unknown, options: SubmitOptions = {}): Promise<TaskRecord> {
    return this.submitThen(name, input, options, (record) => record);
  }

  /** Like `submitRecord`, telling a replay (an idempotency key seen before) from a new task. */
  submitOrReplay(name: string, input: unknown, options: SubmitOptions = {}): Promise<SubmitAnswer> {
    return this.submitThen(name, input, options, (record, replayed) => ({ record, replayed }));
  }

  /** Submits, then answers with `answer(record, replayed)`: the new record, or the earlier one of a repeated key. */
  private submitThen<R>(name: string, input: unknown, options: SubmitOptions, answer: (record: TaskRecord, replayed: boolean) => R): Promise<R> {
    let span: SubmitSpan;
    let record: TaskRecord;
    let placing: Promise<unknown>;
    let once: boolean;
    try {
      const task = this.registry.get(name);
      if (!task) throw new UnknownTaskException(name, this.registry.names());
      const key = options.idempotencyKey === undefined ? undefined : parseIdempotencyKey(options.idempotencyKey);
      if (options.delayMs !== undefined || options.priority !== undefined) checkQueueingOptions(options);
      record = this.newRecord(task, options);
      const ttl = ttlSecondsOf(task.definition, this.options.resultTtlSeconds);
      once = key !== undefined;
      // The submit span is active while the backend takes the job, which carries its trace context to the run.
      span = new SubmitSpan(record);
      placing = span.with(() => (key === undefined ? this.place(task, record, input, ttl) : this.placeOnce(task, record, input, ttl, key)));
    } catch (error) {
      return Promise.reject(error);
    }
    return placing.then(
      (placed) => {
        span.end();
        // Only a submit with an idempotency key can find an earlier task (placeOnce's answer).
        const earlier = once ? (placed as TaskRecord | undefined) : undefined;
        if (earlier) return answer(earlier, true);
        this.hooks.emit('onSubmit', record);
        return answer(record, false);
      },
      (error: unknown) => {
        span.end(error);
        throw error;
      },
    );
  }

  /** A new task's pending record; request id, parent and owner come from the task or request this code runs in. */
  private newRecord(task: RegisteredTask, options: SubmitOptions): TaskRecord {
    const cls = ClsServiceManager.getClsService();
    const inContext = cls.isActive();
    const parent: { id: string; owner?: string } | undefined = inContext ? cls.get(AU_CLS_TASK) : undefined;
    const name = task.definition.name;
    const record: TaskRecord = {
      id: this.store.newId(name),
      task: name,
      status: 'pending',
      attempts: 0,
      maxAttempts: task.definition.attempts,
      progress: 0,
      createdAt: Date.now(),
      requestId: options.requestId ?? (inContext ? cls.get(AU_CLS_REQUEST_ID) : undefined),
      parentId: options.parentId ?? parent?.id,
    };
    const owner: string | undefined = options.owner || parent?.owner || undefined;
    if (owner) record.owner = owner;
    if (options.delayMs) record.runAt = record.createdAt + options.delayMs;
    if (options.priority !== undefined) record.priority = options.priority;
    return record;
  }

  /** Stores the record and queues the task, both at once (on Bull the record is written while the job is added). */
  private place(task: RegisteredTask, record: TaskRecord, input: unknown, ttl: number): Promise<unknown> {
    const created = this.store.create(record, ttl);
    const queued = this.backend.enqueue(task, record, input);
    return created ? Promise.all([created, queued]) : queued;
  }

  /**
   * The key's claim, the record and the job at once (a repeat finds them all or none, in whatever process),
   * resolving with the earlier task's record on a repeat, undefined for a new task.
   */
  private placeOnce(task: RegisteredTask, record: TaskRecord, input: unknown, ttl: number, key: string): Promise<TaskRecord | undefined> {
    const claim = idempotencyClaim(record.owner, key, task.definition.name, input);
    return this.backend.enqueueOnce(task, record, input, ttl, claim).then((answer) => {
      if (answer.created) return undefined;
      if (answer.task !== task.definition.name) throw new IdempotencyKeyReusedException(`for task "${answer.task}"`, answer.id);
      if (answer.inputHash !== claim.inputHash) throw new IdempotencyKeyReusedException('with another input', answer.id);
      return this.getOrThrow(answer.id);
    });
  }

  /** A handle on an existing task. */
  handle<T = unknown>(id: string, task: string): TaskHandle<T> {
    return new TaskHandle<T>(this, id, task);
  }

  /** The record, if it exists and `scope` may see it. */
  async get(id: string, scope?: TaskScope): Promise<TaskRecord | undefined> {
    const record = UUID.test(id) ? await this.store.get(id) : undefined;
    return record && visible(record, scope) ? record : undefined;
  }

  async getOrThrow(id: string, scope?: TaskScope): Promise<TaskRecord> {
    const record = await this.get(id, scope);
    if (!record) throw new TaskNotFoundException(id);
    return record;
  }

  /** Newest first; `owner` keeps that owner's tasks only. */
  list(query: TaskQuery): Promise<TaskPage> {
    return this.store.list(query);
  }

  /** The record once finished, or as it is after `timeoutMs`. */
  waitForFinish(id: string, timeoutMs: number, scope?: TaskScope): Promise<TaskRecord> {
    if (!UUID.test(id)) return Promise.reject(new TaskNotFoundException(id));
    const wait = () =>
      this.store.waitForFinish(id, timeoutMs).then((record) => {
        if (!record) throw new TaskNotFoundException(id);
        return record;
      });
    return scope?.owner === undefined ? wait() : this.getOrThrow(id, scope).then(wait);
  }

  /** A completed task's result, or the record of one that failed, was cancelled or is unfinished after `timeoutMs`. */
  waitForOutcome(id: string, timeoutMs: number): Promise<TaskOutcome> {
    if (!UUID.test(id)) return Promise.reject(new TaskNotFoundException(id));
    return this.store.waitForOutcome(id, timeoutMs).then((outcome) => {
      if (!outcome) throw new TaskNotFoundException(id);
      return outcome;
    });
  }

  /** Cancels a pending or running task; a finished one answers `TaskAlreadyFinishedException`. */
  async cancel(id: string, scope?: TaskScope): Promise<TaskRecord> {
    const record = await this.getOrThrow(id, scope);
    if (isFinished(record.status)) throw new TaskAlreadyFinishedException(record);
    return this.backend.cancel(record);
  }

  /**
   * Runs a failed or cancelled task again: back to `pending` with the same id and input, its attempt count going on
   * and its `attempts` given again. Any other status answers `TaskNotRetryableException` (409).
   */
  async retry(id: string, scope?: TaskScope): Promise<TaskRecord> {
    const record = await this.getOrThrow(id, scope);
    if (record.status !== 'failed' && record.status !== 'cancelled') throw new TaskNotRetryableException(record);
    const task = this.registry.get(record.task);
    if (!task) throw new UnknownTaskException(record.task, this.registry.names());
    return this.backend.retry(task, record);
  }
}

function visible(record: TaskRecord, scope: TaskScope | undefined): boolean {
  return scope?.owner === undefined || record.owner === scope.owner;
}
