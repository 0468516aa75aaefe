import type { JobOptions, Queue } from 'bull';
import type { TaskRecord } from '../../core/task-record';
import type { TaskDefinition } from '../../tasks/task-definition';
import { TaskNotRetryableException } from '../../tasks/task-not-retryable.exception';
import type { AuJobData } from './bull-job';
import { guardRedis } from './redis/guard-redis';
import type { RetryWrites } from './redis/retry-writes';

/**
 * A failed or cancelled task queued again with the same id and input, `maxAttempts` attempts in all. au's meta is
 * reopened first (no cancelled flag), then: a failed job (a cancel of a running task fails it too) goes back to
 * `wait` by Bull's own `job.retry()`, with its `attempts` option raised; a job a cancel removed is added again from
 * the data the cancel kept; a job Bull completed although the task was cancelled is replaced.
 */
export async function retryBullJob(
  queue: Queue,
  writes: RetryWrites,
  record: TaskRecord,
  maxAttempts: number,
  addOptions: (definition: TaskDefinition) => JobOptions,
  definition: TaskDefinition,
): Promise<void> {
  const job = await guardRedis('retry the task', () => queue.getJob(record.id));
  const state = job ? await guardRedis('retry the task', () => job.getState()) : undefined;
  if (state !== undefined && state !== 'failed' && state !== 'completed') throw new TaskNotRetryableException({ id: record.id, status: 'pending' });
  const kept = job ? { data: job.data as AuJobData, delay: job.opts.delay, priority: job.opts.priority } : await writes.keptJob(record.id);
  if (!kept) throw new TaskNotRetryableException({ id: record.id, status: record.status });
  await writes.reopen(record.id, maxAttempts);
  if (job && state === 'failed') {
    await writes.setJobAttempts(queue.toKey(record.id), job.opts, maxAttempts);
    // Bull answers an error when the job left the failed set meanwhile (retried by another caller).
    await job.retry().catch(() => {
      throw new TaskNotRetryableException({ id: record.id, status: 'pending' });
    });
    return;
  }
  if (job) await guardRedis('retry the task', () => job.remove());
  const options: JobOptions & { timestamp: number } = {
    ...addOptions(definition),
    jobId: record.id,
    timestamp: record.createdAt,
    attempts: maxAttempts,
  };
  // Bull delays until timestamp + delay: the task's own runAt, at once if that has passed.
  if (kept.delay) options.delay = kept.delay;
  if (kept.priority) options.priority = kept.priority;
  await guardRedis('retry the task', () => queue.add(kept.data, options));
}
