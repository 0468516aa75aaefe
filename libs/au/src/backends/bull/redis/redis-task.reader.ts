import type Redis from 'ioredis';
import type { TaskError, TaskRecord } from '../../../core/task-record';

/**
 * One round trip per record: the au meta hash, the fields of Bull's job hash and whether the job is in the active
 * list. Bull's job is the source of truth for status, attempts, timings, progress, result and error.
 */
const READ_TASK = `
local meta = redis.call('HGETALL', KEYS[1])
if #meta == 0 then return false end
local task
for i = 1, #meta, 2 do if meta[i] == 'task' then task = meta[i + 1] end end
local base = ARGV[1] .. ':' .. task .. ':'
local job = redis.call('HMGET', base .. ARGV[2], 'timestamp', 'processedOn', 'finishedOn', 'attemptsMade',
  'progress', 'returnvalue', 'failedReason', 'stacktrace')
local active = redis.call('LPOS', base .. 'active', ARGV[2])
return { meta, job, active and 1 or 0 }
`;

/** A fresh record may have its meta written but its Bull job not yet: that short gap reads as pending. */
const ADD_GAP_MS = 10_000;

export interface TaskReaderClient extends Redis {
  auReadTask(metaKey: string, prefix: string, id: string): Promise<[string[], (string | null)[], number] | null>;
}

export function defineTaskReader(client: Redis): TaskReaderClient {
  if (!(client as unknown as Partial<TaskReaderClient>).auReadTask) {
    client.defineCommand('auReadTask', { numberOfKeys: 1, lua: READ_TASK });
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

/** Turns the script's answer into a TaskRecord, or undefined when the task is unknown or expired. */
export function toRecord(id: string, raw: [string[], (string | null)[], number] | null, now = Date.now()): TaskRecord | undefined {
  if (!raw) return undefined;
  const [flat, job, active] = raw;
  const meta: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) meta[flat[i]] = flat[i + 1];
  const [timestamp, processedOn, finishedOn, attemptsMadeRaw, progress, returnvalue, failedReason, stacktrace] = job;
  const createdAt = Number(meta.createdAt ?? timestamp);
  const base: TaskRecord = {
    id,
    task: meta.task,
    status: 'pending',
    attempts: 0,
    maxAttempts: Number(meta.maxAttempts ?? 1),
    progress: 0,
    createdAt,
    requestId: meta.requestId || undefined,
    parentId: meta.parentId || undefined,
  };
  if (meta.traceId) base.traceId = meta.traceId;
  const jobExists = timestamp !== null;
  if (!jobExists && meta.status !== 'cancelled') {
    // Removed by Bull after its TTL, or not added yet (the meta write goes first).
    return now - createdAt < ADD_GAP_MS ? base : undefined;
  }
  const attemptsMade = Number(attemptsMadeRaw ?? 0);
  base.progress = parseJson(progress) ?? 0;
  base.startedAt = processedOn ? Number(processedOn) : undefined;
  base.error = errorOf(failedReason, stacktrace);
  if (meta.status === 'cancelled') {
    base.status = 'cancelled';
    base.attempts = base.startedAt ? Math.max(1, attemptsMade) : 0;
    base.finishedAt = Number(meta.finishedAt ?? finishedOn ?? now);
    base.error ??= { name: 'TaskCancelledError', message: 'Task was cancelled' };
    return base;
  }
  if (finishedOn) {
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
    return base;
  }
  base.status = active ? 'running' : 'pending';
  base.attempts = active ? attemptsMade + 1 : attemptsMade;
  return base;
}
