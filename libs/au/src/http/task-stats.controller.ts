import { Controller, ForbiddenException, Get, Inject, Req, UseFilters } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ResolvedAuOptions } from '../core/au.options';
import { AU_OPTIONS } from '../core/au.tokens';
import { AuMetrics } from '../metrics/metrics.service';
import { TaskBackend } from '../tasks/task.backend';
import { AuErrorsFilter } from './au-errors.filter';
import { TaskStatsView, TaskTotalsView } from './task-stats.views';

/**
 * `GET /tasks/stats`: per-task totals (au's metrics middleware) plus live queue counts. Registered before the tasks
 * controller (AuHttpModule), so `stats` is not taken for a task id. They count every owner's tasks: with owner
 * scoping they are reserved to the callers `statsAccess` allows (`403` for others).
 */
@ApiTags('tasks')
@Controller('tasks')
@UseFilters(AuErrorsFilter)
export class TaskStatsController {
  constructor(
    private readonly metrics: AuMetrics,
    private readonly backend: TaskBackend,
    @Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions,
  ) {}

  @Get('stats')
  @ApiOperation({
    operationId: 'taskStats',
    summary: 'Totals per task (submitted, completed, failed, cancelled, retries, running, average duration)',
    description: 'Totals count what this process did; with Bull, `queues` shows every process\' jobs by state.',
  })
  @ApiExtraModels(TaskTotalsView)
  @ApiOkResponse({ type: TaskStatsView, description: 'Totals by task, and queue counts by task' })
  async stats(@Req() request: unknown): Promise<TaskStatsView> {
    if (this.options.owner && !this.options.statsAccess?.(request)) {
      throw new ForbiddenException('Task stats count every owner\'s tasks: they are reserved to the callers statsAccess allows');
    }
    const queues: Record<string, Record<string, number>> = {};
    // This process' totals stay readable while Redis is away; the queue counts are then left out.
    const counts = await this.backend.queueCounts().catch(() => []);
    for (const { task, state, count } of counts) (queues[task] ??= {})[state] = count;
    return { tasks: this.metrics.snapshot(), queues };
  }
}
