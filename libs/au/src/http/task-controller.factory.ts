import { Body, Controller, HttpCode, HttpStatus, Post, Query, Res, Type, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { pascalCase } from '../core/naming';
import { isFinished } from '../core/task-record';
import type { TaskDefinition } from '../tasks/task-definition';
import { TaskService } from '../tasks/task.service';
import { SubmitQueryDto } from './task-query.dto';
import type { HttpReply } from './tasks.controller';
import { ErrorView, TaskAcceptedView, TaskWithResultView, toAcceptedView, toTaskWithResultView } from './task.views';
import { AuErrorsFilter } from './au-errors.filter';
import { createValidationPipe, createWaitQueryPipe } from './validation';

/**
 * A controller of its own for one task: `POST /tasks/{name}` with the task's input class as the validated body.
 * Built at module definition, so it goes through Nest's whole pipeline and appears in Swagger as its own operation.
 */
export function createTaskController(definition: TaskDefinition): Type<unknown> {
  const { name, input } = definition;

  @ApiTags('tasks')
  @Controller('tasks')
  @UseFilters(AuErrorsFilter)
  class GeneratedTaskController {
    constructor(readonly tasks: TaskService) {}

    async submit(body: unknown, { wait = 0, delay, priority }: SubmitQueryDto, reply: HttpReply): Promise<TaskAcceptedView | TaskWithResultView> {
      const queueing = delay === undefined && priority === undefined ? undefined : { delayMs: Math.round((delay ?? 0) * 1000), priority };
      const record = await this.tasks.submitRecord(name, body, queueing);
      reply.header('Location', `/tasks/${record.id}`);
      if (wait > 0) {
        const done = await this.tasks.waitForFinish(record.id, wait * 1000);
        if (isFinished(done.status)) {
          reply.status(HttpStatus.OK);
          return toTaskWithResultView(done);
        }
      }
      return toAcceptedView(record);
    }
  }

  const proto = GeneratedTaskController.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'submit')!;
  // The body's declared type is what ValidationPipe and Swagger read: make it this task's input class.
  Reflect.defineMetadata('design:paramtypes', [input, SubmitQueryDto, Object], proto, 'submit');
  Body(createValidationPipe())(proto, 'submit', 0);
  Query(createWaitQueryPipe())(proto, 'submit', 1);
  Res({ passthrough: true })(proto, 'submit', 2);
  const decorators: MethodDecorator[] = [
    Post(name),
    HttpCode(HttpStatus.ACCEPTED),
    ApiOperation({
      operationId: `submit${pascalCase(name)}`,
      summary: definition.description ?? `Submit a ${name} task`,
      description:
        `Runs ${definition.target.name}.${definition.methodName} asynchronously` +
        (definition.timeoutMs ? `; each attempt may take up to ${definition.timeoutMs} ms` : '') +
        `; ${definition.attempts} attempt(s).`,
    }),
    ApiBody({ type: input }),
    ApiAcceptedResponse({ type: TaskAcceptedView, description: 'Accepted; poll links.self or links.result' }),
    ApiOkResponse({ type: TaskWithResultView, description: 'Finished within ?wait= seconds' }),
    ApiBadRequestResponse({ type: ErrorView, description: 'The body or the query is invalid' }),
    ApiPayloadTooLargeResponse({ type: ErrorView }),
    ApiNotFoundResponse({ type: ErrorView }),
  ];
  for (const decorate of decorators.reverse()) decorate(proto, 'submit', descriptor);
  Object.defineProperty(GeneratedTaskController, 'name', { value: `${pascalCase(name)}TaskController` });
  return GeneratedTaskController;
}
