import { Controller, Delete, Get, HttpStatus, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isFinished } from '../core/task-record';
import { TaskHasNoResultException } from '../tasks/task.exceptions';
import { TaskService } from '../tasks/task.service';
import { ListTasksQueryDto, WaitQueryDto } from './task-query.dto';
import {
  ApiAlreadyFinishedResponse,
  ApiInvalidInputResponse,
  ApiNoResultResponse,
  ApiStorageUnavailableResponse,
  ApiTaskByIdResponses,
} from './api-responses';
import { TaskErrorView, TaskPageView, TaskResultView, TaskView, toTaskView } from './task.views';
import { AuErrorsFilter } from './au-errors.filter';
import { CallerOwner } from './caller-owner.decorator';
import { createValidationPipe, createWaitQueryPipe } from './validation';

/** Minimal response surface shared by Express and Fastify. */
export interface HttpReply {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

/**
 * Read, wait for, list and cancel tasks of any name; with owner scoping, the caller's only (another owner's task is
 * not found). Each task's submit route is generated (task-controller.factory). Registered through `auController`,
 * which puts the app's route decorators on a subclass.
 */
@ApiTags('tasks')
@ApiExtraModels(TaskErrorView)
@Controller('tasks')
@UseFilters(AuErrorsFilter)
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  @ApiOperation({ operationId: 'listTasks', summary: 'List tasks, newest first' })
  @ApiOkResponse({ type: TaskPageView, description: 'One page of tasks' })
  @ApiInvalidInputResponse('A filter, limit or cursor')
  @ApiStorageUnavailableResponse()
  async list(@Query(createValidationPipe()) query: ListTasksQueryDto, @CallerOwner() owner?: string): Promise<TaskPageView> {
    const page = await this.tasks.list({ ...query, limit: query.limit ?? 20, owner });
    return { items: page.items.map(toTaskView), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getTask', summary: 'Status, timings, attempts and error of a task' })
  @ApiOkResponse({ type: TaskView, description: 'The task' })
  @ApiTaskByIdResponses()
  async get(@Param('id') id: string, @CallerOwner() owner?: string): Promise<TaskView> {
    return toTaskView(await this.tasks.getOrThrow(id, { owner }));
  }

  @Get(':id/result')
  @ApiOperation({ operationId: 'getTaskResult', summary: 'The result, waiting up to ?wait= seconds for it' })
  @ApiOkResponse({ type: TaskResultView, description: 'The task completed: its result' })
  @ApiAcceptedResponse({
    type: TaskView,
    description: 'Not finished yet; retry after Retry-After seconds',
    headers: { 'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer' } } },
  })
  @ApiNoResultResponse()
  @ApiInvalidInputResponse('?wait=')
  @ApiTaskByIdResponses()
  async result(
    @Param('id') id: string,
    @Query(createWaitQueryPipe()) { wait = 0 }: WaitQueryDto,
    @Res({ passthrough: true }) reply: HttpReply,
    @CallerOwner() owner?: string,
  ): Promise<TaskResultView | TaskView> {
    const record = await this.tasks.waitForFinish(id, wait * 1000, { owner });
    if (record.status === 'completed') return { id: record.id, status: 'completed', result: record.result ?? null };
    if (isFinished(record.status)) throw new TaskHasNoResultException(record);
    reply.status(HttpStatus.ACCEPTED);
    reply.header('Retry-After', '1');
    return toTaskView(record);
  }

  @Delete(':id')
  @ApiOperation({ operationId: 'cancelTask', summary: 'Cancel: a pending task never runs, a running one is aborted' })
  @ApiOkResponse({ type: TaskView, description: 'Cancelled' })
  @ApiAlreadyFinishedResponse()
  @ApiTaskByIdResponses()
  async cancel(@Param('id') id: string, @CallerOwner() owner?: string): Promise<TaskView> {
    return toTaskView(await this.tasks.cancel(id, { owner }));
  }
}
