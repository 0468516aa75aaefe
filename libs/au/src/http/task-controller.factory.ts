import { applyDecorators, Body, Controller, HttpCode, HttpStatus, Post, Query, Res, Type, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { pascalCase } from '../core/naming';
import { isFinished } from '../core/task-record';
import type { TaskDefinition } from '../tasks/task-definition';
import { TaskService } from '../tasks/task.service';
import { WaitQueryDto } from './task-query.dto';
import type { HttpReply } from './tasks.controller';
import { resultSchemaOf } from './api-schemas';
import { ApiBodyTooLargeResponse, ApiInvalidInputResponse, ApiStorageUnavailableResponse } from './api-responses';
import { TaskAcceptedView, TaskErrorView, TaskView, TaskWithResultView, toAcceptedView, toTaskWithResultView } from './task.views';
import { AuErrorsFilter } from './au-errors.filter';
import { createValidationPipe, createWaitQueryPipe } from './validation';

/**
 * A controller of its own for one task: `POST /tasks/{name}` with the task's input class as the validated body.
 * Built at module definition, so it goes through Nest's whole pipeline and appears in Swagger as its own operation.
 */
export function createTaskController(definition: TaskDefinition): Type<unknown> {
  const { name, input } = definition;

  @ApiTags('tasks')
  @ApiExtraModels(TaskView, TaskErrorView)
  @Controller('tasks')
  @UseFilters(AuErrorsFilter)
  class GeneratedTaskController {
    constructor(readonly tasks: TaskService) {}

    async submit(body: unknown, { wait = 0 }: WaitQueryDto, reply: HttpReply): Promise<TaskAcceptedView | TaskWithResultView> {
      const record = await this.tasks.submitRecord(name, body);
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
  Reflect.defineMetadata('design:paramtypes', [input, WaitQueryDto, Object], proto, 'submit');
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
    ApiAcceptedResponse({ type: TaskAcceptedView, description: 'Accepted; poll links.self or links.result', headers: LOCATION }),
    finishedResponse(definition),
    ApiInvalidInputResponse('The body or ?wait='),
    ApiBodyTooLargeResponse(),
    ApiStorageUnavailableResponse(),
  ];
  for (const decorate of decorators.reverse()) decorate(proto, 'submit', descriptor);
  Object.defineProperty(GeneratedTaskController, 'name', { value: `${pascalCase(name)}TaskController` });
  return GeneratedTaskController;
}

const LOCATION = { Location: { description: 'The task: links.self', schema: { type: 'string' } } };

/**
 * The `200` of `?wait=`: the finished record, with `result` typed by the task's declared output (the classes it names
 * registered as models), or any JSON value when it declares none.
 */
function finishedResponse({ output }: TaskDefinition): MethodDecorator {
  const description = 'Finished within ?wait= seconds; result is null unless status is completed';
  if (output === undefined) return ApiOkResponse({ type: TaskWithResultView, description, headers: LOCATION });
  const { schema, models } = resultSchemaOf(output);
  const withResult = { type: 'object' as const, required: ['result'], properties: { result: schema } };
  return applyDecorators(
    ApiExtraModels(...models),
    ApiOkResponse({ description, headers: LOCATION, schema: { allOf: [{ $ref: getSchemaPath(TaskView) }, withResult] } }),
  );
}
