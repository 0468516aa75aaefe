import type { JobOptions, Queue } from 'bull';
import type { TaskRecord } from '../../core/task-record';
import { TaskNotRetryableException } from '../../tasks/task-not-retryable.exception';
import type { AuJobData } from './bull-job';
import { guardRedis } from './redis/guard-redis';
import type { RedisTaskWriter } from './redis/redis-task.writer';

/**
 * A failed or cancelled task queued again with the same id and input, `maxAttempts` attempts in all. Its job is
 * still there (a cancel finishes a waiting job into the failed set rather than removing it): it is reopened (no
 * cancelled flag, its `attempts` option raised), then a job that ran goes back to `wait` by Bull's own `job.retry()`;
 * one cancelled before it ran, or one Bull completed although the task was cancelled, is added again from its data
 * (with its delay, due at the task's runAt, and its priority).
 */
export async function retryBullJob(
  queue: Queue,
  writer: RedisTaskWriter,
  record: TaskRecord,
  maxAttempts: number,
  options: JobOptions,
): Promise<void> {
  const job = await guardRedis('retry the task', () => queue.getJob(record.id));
  const state = job ? await guardRedis('retry the task', () => job.getState()) : undefined;
  if (!job || (state !== 'failed' && state !== 'completed')) throw new TaskNotRetryableException({ id: record.id, status: record.status });
  await writer.reopen(record.task, record.id, { ...job.opts, attempts: maxAttempts });
  // A job cancelled before it ever ran is added again below, so that it keeps its delay and priority.
  if (state === 'failed' && job.processedOn) {
    // Bull answers an error when the job left the failed set meanwhile (retried by another caller).
    await job.retry().catch(() => {
      throw new TaskNotRetryableException({ id: record.id, status: 'pending' });
    });
    return;
  }
  await guardRedis('retry the task', () => job.remove());
  const { delay, priority } = job.opts;
  await writer.add(queue, record, job.data as AuJobData, { ...options, jobId: record.id, timestamp: record.createdAt, attempts: maxAttempts, delay, priority } as JobOptions);
}
