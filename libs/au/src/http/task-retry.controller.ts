import { Controller, HttpCode, HttpStatus, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskService } from '../tasks/task.service';
import { ApiTaskByIdResponses } from './api-responses';
import { AuErrorsFilter } from './au-errors.filter';
import { CallerOwner } from './caller-owner.decorator';
import type { HttpReply } from './tasks.controller';
import { EXAMPLE_TASK_ID, TaskConflictView, TaskView, toTaskView } from './task.views';

/** `POST /tasks/{id}/retry`: a failed or cancelled task runs again, same id and input (the caller's, when scoped). */
@ApiTags('tasks')
@Controller('tasks')
@UseFilters(AuErrorsFilter)
export class TaskRetryController {
  constructor(private readonly tasks: TaskService) {}

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'retryTask',
    summary: 'Run a failed or cancelled task again: pending, same id and input, its attempts given again',
  })
  @ApiAcceptedResponse({ type: TaskView, description: 'Pending again', headers: { Location: { description: 'The task', schema: { type: 'string' } } } })
  @ApiConflictResponse({
    type: TaskConflictView,
    description: 'The task is pending, running or completed',
    example: {
      statusCode: 409,
      error: 'Conflict',
      message: `Task ${EXAMPLE_TASK_ID} is completed; only failed or cancelled tasks can be retried`,
      id: EXAMPLE_TASK_ID,
      status: 'completed',
    },
  })
  @ApiTaskByIdResponses()
  async retry(@Param('id') id: string, @Res({ passthrough: true }) reply: HttpReply, @CallerOwner() owner?: string): Promise<TaskView> {
    const record = await this.tasks.retry(id, { owner });
    reply.header('Location', `/tasks/${record.id}`);
    return toTaskView(record);
  }
}
