import type Redis from 'ioredis';
import type { TaskError, TaskRecord } from '../../../core/task-record';
import { READ_TASK } from './redis-task.scripts';

export type RawTask = [(string | null)[], number];

export interface TaskReaderClient extends Redis {
  /** The job's fields and whether it is active (READ_TASK); null for no such job. */
  auReadTask(jobKey: string, activeKey: string, id: string): Promise<RawTask | null>;
}

export function defineTaskReader(client: Redis): TaskReaderClient {
  if (!(client as unknown as Partial<TaskReaderClient>).auReadTask) {
    client.defineCommand('auReadTask', { numberOfKeys: 2, lua: READ_TASK });
  }
  return client as unknown as TaskReaderClient;
}

function parseJson(raw: string | null | undefined): unknown {
  if (raw === null || raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** A completed job's result from Bull's `returnvalue` (JSON), as the record and the completed message carry it. */
export function parseResult(raw: string | null | undefined): unknown {
  return parseJson(raw) ?? null;
}

/** `{ name, message }` from Bull's failedReason and the first line of the last stack trace. */
function errorOf(failedReason: string | null, stacktrace: string | null): TaskError | undefined {
  if (failedReason === null) return undefined;
  const stacks = parseJson(stacktrace);
  const last = Array.isArray(stacks) && typeof stacks[stacks.length - 1] === 'string' ? (stacks[stacks.length - 1] as string) : '';
  const name = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(last)?.[1] ?? 'Error';
  return { name, message: failedReason };
}

/** The job's `attempts` option, from Bull's `opts` (JSON). */
function maxAttemptsOf(opts: string | null): number {
  const parsed = parseJson(opts) as { attempts?: unknown } | undefined;
  return typeof parsed?.attempts === 'number' ? parsed.attempts : 1;
}

/** How long a task's record is kept once finished: completed, or failed and cancelled (the dead letters). */
export interface RecordTtls {
  completedMs: number;
  failedMs: number;
}

/**
 * Turns READ_TASK's answer into a TaskRecord: undefined when there is no such job, or when the task finished longer
 * ago than its TTL (Bull's job may outlive it until the next trim).
 */
export function toRecord(id: string, task: string, raw: RawTask | null, ttls: RecordTtls, now = Date.now()): TaskRecord | undefined {
  if (!raw) return undefined;
  const [job, active] = raw;
  const [timestamp, processedOn, finishedOn, attemptsMadeRaw, progress, returnvalue, failedReason, stacktrace, opts, requestId, parentId, cancelledAt, owner, delay, priority, traceId] = job;
  const base: TaskRecord = {
    id,
    task,
    status: 'pending',
    attempts: 0,
    maxAttempts: maxAttemptsOf(opts),
    progress: parseJson(progress) ?? 0,
    createdAt: Number(timestamp),
    requestId: requestId ?? undefined,
    parentId: parentId ?? undefined,
  };
  if (owner !== null && owner !== undefined) base.owner = owner;
  // Bull's delay and priority of the job (0 when not set).
  if (Number(delay) > 0) base.runAt = base.createdAt + Number(delay);
  if (Number(priority) > 0) base.priority = Number(priority);
  if (traceId) base.traceId = traceId;
  const attemptsMade = Number(attemptsMadeRaw ?? 0);
  base.startedAt = processedOn ? Number(processedOn) : undefined;
  base.error = errorOf(failedReason, stacktrace);
  if (cancelledAt) {
    base.status = 'cancelled';
    base.attempts = base.startedAt ? Math.max(1, attemptsMade) : 0;
    base.finishedAt = Number(cancelledAt);
    base.error ??= { name: 'TaskCancelledError', message: 'Task was cancelled' };
  } else if (finishedOn) {
    base.finishedAt = Number(finishedOn);
    if (returnvalue !== null) {
      base.status = 'completed';
      base.attempts = attemptsMade + 1;
      base.result = parseResult(returnvalue);
      base.error = undefined;
    } else {
      base.status = 'failed';
      base.attempts = Math.max(1, attemptsMade);
    }
  } else {
    base.status = active ? 'running' : 'pending';
    base.attempts = active ? attemptsMade + 1 : attemptsMade;
  }
  const ttlMs = base.status === 'completed' ? ttls.completedMs : ttls.failedMs;
  return base.finishedAt !== undefined && base.finishedAt + ttlMs <= now ? undefined : base;
}
