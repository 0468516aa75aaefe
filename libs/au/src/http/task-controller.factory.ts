import { applyDecorators, Body, Controller, HttpCode, HttpStatus, Post, Type, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { pascalCase } from '../core/naming';
import { isFinished } from '../core/task-record';
import type { TaskDefinition } from '../tasks/task-definition';
import { TaskService } from '../tasks/task.service';
import { SubmitQueryDto } from './task-query.dto';
import { resultSchemaOf } from './api-schemas';
import { ApiBodyTooLargeResponse, ApiInvalidInputResponse, ApiStorageUnavailableResponse } from './api-responses';
import { ErrorView, TaskAcceptedView, TaskErrorView, TaskView, TaskWithResultView, toAcceptedView, toTaskWithResultView } from './task.views';
import { AuErrorsFilter } from './au-errors.filter';
import { createValidationPipe, readWaitQuery } from './validation';
import { AuRouteConfig, auRouteDecorators } from './au-routes';
import { SubmitExchange, SubmitExchangeParam } from './submit-exchange.decorator';

/** Answer header of a submit that repeated an earlier one's Idempotency-Key (the IETF httpapi draft's name). */
const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * A controller of its own for one task: `POST /tasks/{name}` with the task's input class as the validated body.
 * Built at module definition, so it goes through Nest's whole pipeline and appears in Swagger as its own operation,
 * with the app's route decorators and the task's own (`auRouteDecorators`). An `Idempotency-Key` header makes a
 * repeat answer the first task, with `Idempotent-Replayed: true`.
 */
export function createTaskController(definition: TaskDefinition, routes: AuRouteConfig): Type<unknown> {
  const { name, input } = definition;

  @ApiTags('tasks')
  @ApiExtraModels(TaskView, TaskErrorView)
  @Controller('tasks')
  @UseFilters(AuErrorsFilter)
  class GeneratedTaskController {
    constructor(readonly tasks: TaskService) {}

    async submit(body: unknown, { reply, query, owner, idempotencyKey }: SubmitExchange): Promise<TaskAcceptedView | TaskWithResultView> {
      const options = readWaitQuery(SubmitQueryDto, query);
      const { wait = 0, delay, priority } = options instanceof Promise ? await options : options;
      const delayMs = delay === undefined ? undefined : Math.round(delay * 1000);
      const { record, replayed } = await this.tasks.submitOrReplay(name, body, { owner, idempotencyKey, delayMs, priority });
      reply.header('Location', `/tasks/${record.id}`);
      if (replayed) reply.header(REPLAYED_HEADER, 'true');
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
  Reflect.defineMetadata('design:paramtypes', [input, Object], proto, 'submit');
  Body(createValidationPipe())(proto, 'submit', 0);
  SubmitExchangeParam()(proto, 'submit', 1);
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
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retried submit safe: a repeat with the same key (same caller and task, same body) answers the task the ' +
        'first one created, with Idempotent-Replayed: true, while that task is kept. 1 to 255 printable ASCII characters.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
    }),
    // Below the header: decorators apply bottom up, so the query's fields are listed first, as a @Query() listed them.
    ApiQuery({ type: SubmitQueryDto }),
    ApiAcceptedResponse({ type: TaskAcceptedView, description: 'Accepted; poll links.self or links.result', headers: LOCATION }),
    finishedResponse(definition),
    ApiInvalidInputResponse('The body, the query (wait, delay, priority) or the Idempotency-Key'),
    ApiBodyTooLargeResponse(),
    ApiUnprocessableEntityResponse({
      type: ErrorView,
      description: 'The Idempotency-Key was first used for another task or input',
      example: { statusCode: 422, error: 'Unprocessable Entity', message: 'Idempotency-Key was first used with another input' },
    }),
    ApiStorageUnavailableResponse(),
  ];
  for (const decorate of decorators.reverse()) decorate(proto, 'submit', descriptor);
  applyDecorators(...auRouteDecorators(routes, definition.decorators))(proto, 'submit', descriptor);
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
