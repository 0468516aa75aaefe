import { getQueueToken } from '@nestjs/bull';
import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import type { CronRepeatOptions, EveryRepeatOptions, JobInformation, Queue } from 'bull';
import { ScheduleClock, ScheduledTask } from '../../tasks/schedule-clock';
import type { TaskSchedule } from '../../tasks/task-schedule';
import { guardRedis } from './redis/guard-redis';

/** The Bull queue of the schedules' ticks; `_` starts no task name, so it is no task's queue. */
export const SCHEDULE_QUEUE = '_au-schedules';

function repeatOf(schedule: TaskSchedule): CronRepeatOptions | EveryRepeatOptions {
  return 'every' in schedule ? { every: schedule.every } : { cron: schedule.cron, ...(schedule.tz ? { tz: schedule.tz } : {}) };
}

function isCurrent(job: JobInformation, schedules: ScheduledTask[]): boolean {
  return schedules.some(({ task, schedule }) => {
    if (job.name !== task || job.id !== task) return false;
    if ('every' in schedule) return Number(job.every) === schedule.every;
    return job.cron === schedule.cron && (job.tz ?? null) === (schedule.tz ?? null);
  });
}

/**
 * Schedules on Bull: one repeatable job per schedule in a queue of their own. Bull adds each tick's job once, with an
 * id made of the tick's time, however many workers declare the schedule; the worker that takes it adds the next one,
 * counted from now (after downtime, one overdue tick runs, not every one missed). Taking a tick submits the task.
 */
@Injectable()
export class BullScheduleClock extends ScheduleClock implements BeforeApplicationShutdown {
  constructor(@Optional() @Inject(getQueueToken(SCHEDULE_QUEUE)) private readonly queue?: Queue) {
    super();
  }

  async start(schedules: ScheduledTask[], tick: (task: string) => Promise<unknown>): Promise<void> {
    const queue = this.required();
    // A schedule changed or removed in the code stops: its repeatable job goes.
    for (const job of await guardRedis('read the schedules', () => queue.getRepeatableJobs())) {
      if (!isCurrent(job, schedules)) await guardRedis('update the schedules', () => queue.removeRepeatableByKey(job.key));
    }
    await Promise.all(
      schedules.map(({ task, schedule }) =>
        guardRedis('start the schedules', () =>
          queue.add(task, {}, { repeat: repeatOf(schedule), jobId: task, removeOnComplete: true, removeOnFail: true }),
        ),
      ),
    );
    void queue.process('*', 1, (job) => tick(job.name));
  }

  async nextRuns(): Promise<Map<string, number>> {
    const jobs = await guardRedis('read the schedules', () => this.required().getRepeatableJobs());
    return new Map(jobs.map((job) => [job.name, job.next]));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
  }

  private required(): Queue {
    if (!this.queue) throw new Error(`The ${SCHEDULE_QUEUE} queue is registered only when a task has a schedule`);
    return this.queue;
  }
}
