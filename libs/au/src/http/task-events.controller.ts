import { Controller, MessageEvent, Param, Sse, UseFilters } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { TaskEventStream } from '../tasks/task-event.stream';
import { AuErrorsFilter } from './au-errors.filter';
import { SSE_HEARTBEAT_MS, withHeartbeat } from './sse-heartbeat';
import { TaskFinalEventView, TaskProgressEventView, TaskStatusEventView } from './task-event.views';
import { ErrorView } from './task.views';

const DESCRIPTION = [
  'Server-Sent Events, one per change of the task: `status` (pending; running, with its attempt; retrying, with the',
  'error and the delay), `progress`, then a final `completed` (with the result), `failed` (with the error) or',
  '`cancelled`, after which the server ends the stream. A finished task gets its final event at once. Each event is',
  `\`event: <name>\` and \`data: <JSON>\`; a comment line (\`: keep-alive\`) comes every ${SSE_HEARTBEAT_MS / 1000} s.`,
].join(' ');

/** `GET /tasks/{id}/events`: follow a task live, whichever process runs it. */
@ApiTags('tasks')
@ApiExtraModels(TaskStatusEventView, TaskProgressEventView, TaskFinalEventView)
@Controller('tasks')
@UseFilters(AuErrorsFilter)
export class TaskEventsController {
  constructor(private readonly stream: TaskEventStream) {}

  @Sse(':id/events')
  @ApiOperation({ operationId: 'followTask', summary: 'Follow a task live (text/event-stream)', description: DESCRIPTION })
  @ApiOkResponse({
    description: 'The event stream; each event\'s `data` is one of these, by event name',
    content: {
      'text/event-stream': {
        schema: {
          oneOf: [
            { $ref: getSchemaPath(TaskStatusEventView) },
            { $ref: getSchemaPath(TaskProgressEventView) },
            { $ref: getSchemaPath(TaskFinalEventView) },
          ],
        },
      },
    },
  })
  @ApiNotFoundResponse({ type: ErrorView })
  async events(@Param('id') id: string): Promise<Observable<MessageEvent>> {
    return withHeartbeat(await this.stream.follow(id));
  }
}
