import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ResolvedAuOptions } from '../core/au.options';
import { AU_OPTIONS, TASK_DEFINITIONS } from '../core/au.tokens';
import { ScheduleClock, ScheduledTask } from './schedule-clock';
import type { TaskDefinition } from './task-definition';
import type { TaskSchedule } from './task-schedule';
import { TaskService } from './task.service';

/** A schedule as `GET /tasks/schedules` lists it. */
export interface ScheduleInfo {
  task: string;
  schedule: TaskSchedule;
  /** Epoch ms of the next tick, when known. */
  nextRunAt?: number;
}

/**
 * The tasks' schedules: in a process that runs tasks, the backend's clock is started on bootstrap and each tick
 * submits one ordinary task (a record to read, cancel, count) with the schedule's input.
 */
@Injectable()
export class TaskSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskSchedules.name);
  private readonly scheduled: ScheduledTask[];

  constructor(
    private readonly clock: ScheduleClock,
    private readonly tasks: TaskService,
    @Inject(TASK_DEFINITIONS) definitions: TaskDefinition[],
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {
    this.scheduled = definitions.flatMap(({ name, schedule }) => (schedule ? [{ task: name, schedule }] : []));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.role === 'api' || this.scheduled.length === 0) return;
    const inputs = new Map(this.scheduled.map(({ task, schedule }) => [task, schedule.input ?? {}]));
    await this.clock.start(this.scheduled, (task) =>
      this.tasks.submit(task, inputs.get(task)).catch((error: unknown) => {
        this.logger.warn(`Scheduled run of ${task} not submitted: ${(error as Error).message}`);
      }),
    );
    this.logger.log(`Schedules started: ${this.scheduled.map((s) => s.task).join(', ')}`);
  }

  async list(): Promise<ScheduleInfo[]> {
    const next = this.scheduled.length > 0 ? await this.clock.nextRuns(this.scheduled) : new Map<string, number>();
    return this.scheduled.map(({ task, schedule }) => ({ task, schedule, nextRunAt: next.get(task) }));
  }
}
