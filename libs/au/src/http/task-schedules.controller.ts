import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskSchedules } from '../tasks/task-schedules';
import { AuErrorsFilter } from './au-errors.filter';
import { ScheduleListView, toScheduleView } from './task-schedule.views';

/** `GET /tasks/schedules`: registered ahead of `GET /tasks/:id`, so it is never taken for a task id. */
@ApiTags('tasks')
@Controller('tasks')
@UseFilters(AuErrorsFilter)
export class TaskSchedulesController {
  constructor(private readonly schedules: TaskSchedules) {}

  @Get('schedules')
  @ApiOperation({ operationId: 'listSchedules', summary: 'Each task schedule with its next run time' })
  @ApiOkResponse({ type: ScheduleListView })
  async list(): Promise<ScheduleListView> {
    return { items: (await this.schedules.list()).map(toScheduleView) };
  }
}
