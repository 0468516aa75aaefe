import type { Job } from 'bull';
import type { TaskRecord } from '../../core/task-record';
import type { AttemptJob } from '../../tasks/task.runner';
import { TraceCarrier, traceIdOf } from '../../tasks/task-tracing';

/** What au puts in a Bull job's data; the rest of the record is the job itself (id, timestamps, attempts). */
export interface AuJobData {
  input: unknown;
  requestId?: string;
  parentId?: string;
  owner?: string;
  /** The submit span's trace context (W3C), when traced. */
  trace?: TraceCarrier;
}

/** The attempt a job stands for, as the runner takes it. */
export function attemptOf(task: string, job: Job<AuJobData>): AttemptJob {
  return {
    id: String(job.id),
    task,
    attempt: job.attemptsMade + 1,
    maxAttempts: job.opts.attempts ?? 1,
    requestId: job.data.requestId,
    parentId: job.data.parentId,
    createdAt: job.timestamp,
    input: job.data.input,
    owner: job.data.owner,
    trace: job.data.trace,
  };
}

/**
 * The record of a job this process has just completed, as the store reads it back (redis-task.reader's `toRecord`),
 * built from the job's own fields: `result` as stored (read back from JSON). The job's timestamp is the
 * record's `createdAt` (the backend adds the job with it).
 */
export function completedRecord(task: string, job: Job<AuJobData>, result: unknown): TaskRecord {
  return {
    id: String(job.id),
    task,
    status: 'completed',
    attempts: job.attemptsMade + 1,
    maxAttempts: job.opts.attempts ?? 1,
    progress: job.progress() ?? 0,
    createdAt: job.timestamp,
    startedAt: job.processedOn,
    finishedAt: job.finishedOn,
    result,
    requestId: job.data.requestId,
    parentId: job.data.parentId,
    owner: job.data.owner,
    traceId: traceIdOf(job.data.trace),
  };
}

/** Name of au's custom Bull backoff strategy (exponential with factor and jitter). */
export const AU_BACKOFF = 'au';
