import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { ErrorView, EXAMPLE_TASK_ID, TaskConflictView, TaskNoResultView } from './task.views';

/** `400`: the body or the query is invalid (per-field messages in `fields`), or the JSON is malformed. */
export const ApiInvalidInputResponse = (what: string) =>
  ApiBadRequestResponse({
    type: ErrorView,
    description: `${what} is invalid: every message in \`message\`, each bad field's in \`fields\``,
    example: {
      statusCode: 400,
      error: 'Bad Request',
      message: ['wait must not be greater than 30'],
      fields: { wait: ['wait must not be greater than 30'] },
    },
  });

/** `404`: no task with this id. */
export const ApiTaskNotFoundResponse = () =>
  ApiNotFoundResponse({
    type: ErrorView,
    description: 'No task with this id: unknown, expired, or not a task id',
    example: { statusCode: 404, error: 'Not Found', message: `Task "${EXAMPLE_TASK_ID}" not found; it may have expired` },
  });

/** `413`: the body is over `maxBodyBytes`. */
export const ApiBodyTooLargeResponse = () =>
  ApiPayloadTooLargeResponse({
    type: ErrorView,
    description: 'The body is larger than AU_MAX_BODY / maxBodyBytes',
    example: {
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is larger than the limit of 1048576 bytes (AU_MAX_BODY / maxBodyBytes)',
    },
  });

/** `503`: on the Bull backend, Redis does not answer; nothing was half-written. */
export const ApiStorageUnavailableResponse = () =>
  ApiServiceUnavailableResponse({
    type: ErrorView,
    description: 'Bull backend only: task storage (Redis) is unreachable; retry later',
    example: {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Task storage (Redis) is unreachable while trying to read a task; retry later',
    },
  });

/** `409` of a cancel: the task already finished. */
export const ApiAlreadyFinishedResponse = () =>
  ApiConflictResponse({
    type: TaskConflictView,
    description: 'The task already finished',
    example: {
      statusCode: 409,
      error: 'Conflict',
      message: `Task ${EXAMPLE_TASK_ID} is already completed and cannot be cancelled`,
      id: EXAMPLE_TASK_ID,
      status: 'completed',
    },
  });

/** `409` of a result: the task failed or was cancelled, so it has none. */
export const ApiNoResultResponse = () =>
  ApiConflictResponse({ type: TaskNoResultView, description: 'The task failed or was cancelled: no result' });

/** The answers of every route that reads or writes tasks: 404 for an unknown id, 503 while Redis is away. */
export const ApiTaskByIdResponses = () => applyDecorators(ApiTaskNotFoundResponse(), ApiStorageUnavailableResponse());
