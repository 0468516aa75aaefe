import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { TASK_STATUSES, TaskRecord, TaskStatus } from '../core/task-record';
import { ANY_JSON, NULL_SCHEMA } from './api-schemas';

const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());

/** The task id the document's examples show. */
export const EXAMPLE_TASK_ID = '3f2b8c1e-9a4d-4c6b-8e21-5d7f0a9b1c2d';

export class TaskLinksView {
  @ApiProperty({ example: `/tasks/${EXAMPLE_TASK_ID}` }) self: string;
  @ApiProperty({ example: `/tasks/${EXAMPLE_TASK_ID}/result` }) result: string;
}

export class TaskErrorView {
  @ApiProperty({ example: 'Error' }) name: string;
  @ApiProperty({ example: 'boom' }) message: string;
}

/** The task's error or null, as `error` of a record: a `$ref` alone would not let null through. */
const TASK_ERROR_OR_NULL = { anyOf: [{ $ref: getSchemaPath(TaskErrorView) }, NULL_SCHEMA] };

/** `202` answer of `POST /tasks/{name}`. */
export class TaskAcceptedView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_TASK_ID }) id: string;
  @ApiProperty({ example: 'factorial' }) task: string;
  @ApiProperty({ enum: TASK_STATUSES, example: 'pending' }) status: TaskStatus;
  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: 'req-7f3a', description: 'X-Request-ID of the submitting request' })
  requestId: string | null;
  @ApiProperty({ type: TaskLinksView }) links: TaskLinksView;
}

/** `GET /tasks/{id}`. Register TaskErrorView with `ApiExtraModels` where this is used. */
export class TaskView extends TaskAcceptedView {
  @ApiProperty({ type: 'integer', example: 1, description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ type: 'integer', example: 1 }) maxAttempts: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 100, description: 'Percent done, as last reported with ctx.progress()' })
  progress: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-05T09:30:00.012Z' }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-05T09:30:00.015Z' }) finishedAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 3, description: 'Run time of the latest attempt' }) durationMs: number | null;
  @ApiProperty({ ...TASK_ERROR_OR_NULL, example: null, description: 'Why the task failed or was cancelled; null otherwise' })
  error: TaskErrorView | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null, description: 'The task that submitted this one' })
  parentId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'A delayed task starts no earlier' })
  runAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 1000, example: null, description: '1 starts first' })
  priority: number | null;
  @ApiPropertyOptional({ type: String, example: '4bf92f3577b34da6a3ce929d0e0e4736', description: 'OpenTelemetry trace id of the submit, present when the app traces' })
  traceId?: string;
}

/** A finished record with its result (`POST ?wait=` that finished in time), for a task that declares no output. */
export class TaskWithResultView extends TaskView {
  @ApiProperty({ anyOf: ANY_JSON, example: '2432902008176640000', description: 'What the task returned if completed; else null' })
  result: unknown;
}

/** `200` of `GET /tasks/{id}/result`. */
export class TaskResultView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_TASK_ID }) id: string;
  @ApiProperty({ enum: ['completed'] }) status: 'completed';
  @ApiProperty({ anyOf: ANY_JSON, example: '2432902008176640000', description: 'What the task returned' }) result: unknown;
}

export class TaskPageView {
  @ApiProperty({ type: [TaskView] }) items: TaskView[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor: string | null;
}

/** Every error answer of au: Nest's `{ statusCode, error, message }`, plus `fields` for invalid input. */
export class ErrorView {
  @ApiProperty({ type: 'integer', example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request', description: 'The status\' reason phrase' }) error: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: ['n must be an integer number'] })
  message: string | string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { n: ['n must be an integer number'] },
    description: 'Invalid input: the messages of each bad field, by path',
  })
  fields?: Record<string, string[]>;
}

/** `409` of `DELETE /tasks/{id}`: the task already finished. */
export class TaskConflictView extends ErrorView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_TASK_ID }) id: string;
  @ApiProperty({ enum: TASK_STATUSES, example: 'completed' }) status: TaskStatus;
}

/** `409` of `GET /tasks/{id}/result`: the task failed or was cancelled; `error` is the task's. */
export class TaskNoResultView {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode: number;
  @ApiProperty({ example: `Task ${EXAMPLE_TASK_ID} is failed and has no result` }) message: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_TASK_ID }) id: string;
  @ApiProperty({ enum: ['failed', 'cancelled'], example: 'failed' }) status: 'failed' | 'cancelled';
  @ApiProperty({ ...TASK_ERROR_OR_NULL, example: { name: 'Error', message: 'boom' }, description: 'Why it failed or was cancelled' })
  error: TaskErrorView | null;
}

export function taskLinks(id: string): TaskLinksView {
  return { self: `/tasks/${id}`, result: `/tasks/${id}/result` };
}

export function toAcceptedView(r: TaskRecord): TaskAcceptedView {
  return { id: r.id, task: r.task, status: r.status, createdAt: iso(r.createdAt)!, requestId: r.requestId ?? null, links: taskLinks(r.id) };
}

/** Progress as documented: a number 0..100 (0 for a record that holds anything else). */
function progressOf(value: unknown): number {
  return typeof value === 'number' && value >= 0 && value <= 100 ? value : 0;
}

export function toTaskView(r: TaskRecord): TaskView {
  const view: TaskView = {
    id: r.id,
    task: r.task,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    progress: progressOf(r.progress),
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.startedAt !== undefined && r.finishedAt !== undefined ? r.finishedAt - r.startedAt : null,
    error: r.error ?? null,
    requestId: r.requestId ?? null,
    parentId: r.parentId ?? null,
    runAt: iso(r.runAt),
    priority: r.priority ?? null,
    links: taskLinks(r.id),
  };
  if (r.traceId) view.traceId = r.traceId;
  return view;
}

export function toTaskWithResultView(r: TaskRecord): TaskWithResultView {
  // Added to the view rather than spread into a copy of it: one object per answer.
  const view = toTaskView(r) as TaskWithResultView;
  view.result = r.status === 'completed' ? (r.result ?? null) : null;
  return view;
}
