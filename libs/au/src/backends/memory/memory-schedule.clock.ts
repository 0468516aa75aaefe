import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { ScheduleClock, ScheduledTask } from '../../tasks/schedule-clock';
import { nextRunOf } from '../../tasks/task-schedule';

/** setTimeout's longest delay; a later tick is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The memory backend's schedules: one timer per schedule in this (the only) process, set for the next tick after
 * the previous one fired, so ticks missed while the process was busy or down are not run afterwards.
 */
@Injectable()
export class MemoryScheduleClock extends ScheduleClock implements BeforeApplicationShutdown {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly next = new Map<string, number>();

  async start(schedules: ScheduledTask[], tick: (task: string) => Promise<unknown>): Promise<void> {
    for (const scheduled of schedules) this.arm(scheduled, tick, Date.now());
  }

  async nextRuns(): Promise<Map<string, number>> {
    return new Map(this.next);
  }

  beforeApplicationShutdown(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.next.clear();
  }

  private arm(scheduled: ScheduledTask, tick: (task: string) => Promise<unknown>, from: number): void {
    const at = nextRunOf(scheduled.schedule, from);
    this.next.set(scheduled.task, at);
    const fire = () => {
      if (Date.now() < at) return this.timers.set(scheduled.task, setTimeout(fire, Math.min(MAX_TIMER_MS, at - Date.now())));
      void tick(scheduled.task);
      this.arm(scheduled, tick, Math.max(Date.now(), at));
    };
    this.timers.set(scheduled.task, setTimeout(fire, Math.min(MAX_TIMER_MS, at - Date.now())));
  }
}
