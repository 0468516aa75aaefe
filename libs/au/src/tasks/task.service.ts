import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
import { TaskHooks } from './task-hooks';
import { TaskRegistry } from './task.registry';
import { SubmitSpan } from './task-tracing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SubmitOptions {
  /** Default: the request id of the current HTTP request or task (CLS). */
  requestId?: string;
  /** Default: the id of the task this code runs in, if any. */
  parentId?: string;
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
   * (This and the waits below chain with `then` rather than `async`/`await`: under nestjs-cls' async hooks every
   * promise an `await` adds has a cost, and these run once per task.)
   */
  submit<T = unknown>(name: string, input: unknown, options: SubmitOptions = {}): Promise<TaskHandle<T>> {
    return this.submitRecord(name, input, options).then((record) => new TaskHandle<T>(this, record.id, record.task));
  }

  /** Like `submit`, resolving with the new record. */
  async submitRecord(name: string, input: unknown, options: SubmitOptions = {}): Promise<TaskRecord> {
    const task = this.registry.get(name);
    if (!task) throw new UnknownTaskException(name, this.registry.names());
    const cls = ClsServiceManager.getClsService();
    const inContext = cls.isActive();
    const record: TaskRecord = {
      id: randomUUID(),
      task: name,
      status: 'pending',
      attempts: 0,
      maxAttempts: task.definition.attempts,
      progress: 0,
      createdAt: Date.now(),
      requestId: options.requestId ?? (inContext ? cls.get(AU_CLS_REQUEST_ID) : undefined),
      parentId: options.parentId ?? (inContext ? cls.get(AU_CLS_TASK)?.id : undefined),
    };
    const ttl = ttlSecondsOf(task.definition, this.options.resultTtlSeconds);
    // The submit span is active while the backend takes the job, which carries its trace context to the run.
    const span = new SubmitSpan(record);
    try {
      // Both at once: on Bull the record is written while the job is added.
      await span.with(() => Promise.all([this.store.create(record, ttl), this.backend.enqueue(task, record, input)]));
    } catch (error) {
      span.end(error);
      throw error;
    }
    span.end();
    this.hooks.emit('onSubmit', record);
    return record;
  }

  /** A handle on an existing task. */
  handle<T = unknown>(id: string, task: string): TaskHandle<T> {
    return new TaskHandle<T>(this, id, task);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return UUID.test(id) ? this.store.get(id) : undefined;
  }

  async getOrThrow(id: string): Promise<TaskRecord> {
    const record = await this.get(id);
    if (!record) throw new TaskNotFoundException(id);
    return record;
  }

  list(query: TaskQuery): Promise<TaskPage> {
    return this.store.list(query);
  }

  /** The record once finished, or as it is after `timeoutMs`. */
  async waitForFinish(id: string, timeoutMs: number): Promise<TaskRecord> {
    if (!UUID.test(id)) throw new TaskNotFoundException(id);
    const record = await this.store.waitForFinish(id, timeoutMs);
    if (!record) throw new TaskNotFoundException(id);
    return record;
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
  async cancel(id: string): Promise<TaskRecord> {
    const record = await this.getOrThrow(id);
    if (isFinished(record.status)) throw new TaskAlreadyFinishedException(record);
    return this.backend.cancel(record);
  }
}
