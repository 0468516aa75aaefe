import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScheduleInfo } from '../tasks/task-schedules';

/** One schedule of `GET /tasks/schedules`. */
export class ScheduleView {
  @ApiProperty() task: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '0 * * * *' }) cron: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Europe/Paris' }) tz: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Milliseconds between ticks' }) every: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'The input of each scheduled run' }) input: unknown;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null until a worker runs the schedule' })
  nextRunAt: string | null;
}

export class ScheduleListView {
  @ApiProperty({ type: [ScheduleView] }) items: ScheduleView[];
}

export function toScheduleView({ task, schedule, nextRunAt }: ScheduleInfo): ScheduleView {
  const cron = 'cron' in schedule ? schedule : undefined;
  return {
    task,
    cron: cron?.cron ?? null,
    tz: cron?.tz ?? null,
    every: 'every' in schedule ? schedule.every : null,
    input: schedule.input ?? {},
    nextRunAt: nextRunAt === undefined ? null : new Date(nextRunAt).toISOString(),
  };
}
