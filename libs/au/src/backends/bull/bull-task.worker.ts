import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Job } from 'bull';
import { TaskCancelledError } from '../../core/task-errors';
import { TaskAbort } from '../../tasks/task-abort';
import { TaskRegistry } from '../../tasks/task.registry';
import { AttemptControl, AttemptJob, AttemptOutcome, TaskRunner } from '../../tasks/task.runner';
import { AuJobData, attemptOf, completedRecord } from './bull-job';
import { FinishMessages } from './redis/finish-messages';
import { RedisTaskEvents } from './redis/redis-task.events';
import { RedisTaskWriter } from './redis/redis-task.writer';

const REMEMBER_CANCELLED_MS = 60_000;

/**
 * Runs Bull jobs in a worker process: hands each attempt to the runner and gives Bull its outcome (the result, or
 * the error to fail or retry the attempt with; a cancelled job is discarded, so not retried). Hears cancels from any
 * process: a job it holds is aborted; a job it has not started yet is discarded when it arrives.
 */
@Injectable()
export class BullTaskWorker implements OnModuleInit {
  private readonly active = new Map<string, TaskAbort>();
  private readonly cancelled = new Map<string, number>();

  constructor(
    private readonly registry: TaskRegistry,
    private readonly runner: TaskRunner,
    private readonly finish: FinishMessages,
    private readonly writer: RedisTaskWriter,
    private readonly events: RedisTaskEvents,
  ) {}

  onModuleInit(): void {
    this.finish.onCancel((id) => {
      this.remember(id);
      this.active.get(id)?.abort(new TaskCancelledError());
    });
  }

  /**
   * Bull's processor for `task` (see task-processor.factory). Resolves with the result; rejects to fail the attempt
   * (Bull turns a throw into that too). Chained with `then` rather than `async`: under nestjs-cls' async hooks each
   * promise has a cost, and this runs once per attempt.
   */
  process(task: string, job: Job<AuJobData>): Promise<unknown> {
    const registered = this.registry.getOrThrow(task);
    const attempt = attemptOf(task, job);
    const control: AttemptControl = { cancel: new TaskAbort(), progress: (value) => job.progress(value) };
    const run = () => this.runner.run(registered, attempt, control).then((outcome) => this.settle(job, attempt, outcome));
    this.active.set(attempt.id, control.cancel);
    // A task heard cancelled may have been retried since: its job says which.
    return this.cancelled.has(attempt.id) ? this.stillCancelled(task, attempt.id, control.cancel).then(run) : run();
  }

  /** Gives Bull the attempt's outcome: the result, or the error to fail or retry it with (a cancel is not retried). */
  private settle(job: Job<AuJobData>, attempt: AttemptJob, outcome: AttemptOutcome): unknown {
    this.active.delete(attempt.id);
    // Bull tells followers that an attempt started (its active message), not that a failed one will be retried.
    if (outcome.status === 'retrying') {
      this.events.publish({ id: attempt.id, status: 'retrying', attempt: attempt.attempt, error: outcome.taskError, delayMs: outcome.delayMs });
    }
    if (outcome.status === 'completed') return outcome.result;
    if (outcome.status === 'cancelled') job.discard();
    throw outcome.error;
  }

  /**
   * A job this process ran is completed in Redis (Bull's local event): waiters here get its result now, with no
   * message through Redis (none comes for a task submitted here; see FinishMessages), and the record built from the job
   * without reading it, unless a cancel of it was heard (the stored record then says cancelled: they read it).
   */
  completed(task: string, job: Job<AuJobData>, result: unknown): void {
    const id = String(job.id);
    this.finish.completedHere(id, result, this.cancelled.has(id) ? undefined : (stored) => completedRecord(task, job, stored));
  }

  /** Aborts the attempt if its task is still flagged cancelled; forgets the cancel if it was retried since. */
  private async stillCancelled(task: string, id: string, abort: TaskAbort): Promise<void> {
    const cancelled = await this.writer.isCancelled(task, id).catch(() => true);
    if (cancelled) abort.abort(new TaskCancelledError());
    else this.cancelled.delete(id);
  }

  private remember(id: string): void {
    const now = Date.now();
    this.cancelled.set(id, now);
    if (this.cancelled.size > 1000) {
      for (const [key, at] of this.cancelled) if (now - at > REMEMBER_CANCELLED_MS) this.cancelled.delete(key);
    }
  }
}
