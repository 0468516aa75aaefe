import type { TaskSchedule } from './task-schedule';

/** A task with a schedule. */
export interface ScheduledTask {
  task: string;
  schedule: TaskSchedule;
}

/**
 * What ticks the schedules, provided by each backend: calls `tick(task)` once per tick of each schedule however many
 * processes run (the memory backend: a timer in its one process; Bull: its repeatable jobs, each taken by one worker),
 * and no catch-up runs for the ticks missed while nothing ran.
 */
export abstract class ScheduleClock {
  /** Starts ticking (in a process that runs tasks). */
  abstract start(schedules: ScheduledTask[], tick: (task: string) => Promise<unknown>): Promise<void>;
  /** The next tick of each schedule (epoch ms), by task; a schedule not ticking (yet) has none. */
  abstract nextRuns(schedules: ScheduledTask[]): Promise<Map<string, number>>;
}
