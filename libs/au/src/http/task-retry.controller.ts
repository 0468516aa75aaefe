import { Controller, HttpCode, HttpStatus, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskService } from '../tasks/task.service';
import { AuErrorsFilter } from './au-errors.filter';
import type { HttpReply } from './tasks.controller';
import { ErrorView, TaskView, toTaskView } from './task.views';

/** `POST /tasks/{id}/retry`: a failed or cancelled task runs again, same id and input. */
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
  @ApiAcceptedResponse({ type: TaskView, description: 'Pending again' })
  @ApiConflictResponse({ type: ErrorView, description: 'The task is pending, running or completed' })
  @ApiNotFoundResponse({ type: ErrorView })
  async retry(@Param('id') id: string, @Res({ passthrough: true }) reply: HttpReply): Promise<TaskView> {
    const record = await this.tasks.retry(id);
    reply.header('Location', `/tasks/${record.id}`);
    return toTaskView(record);
  }
}
