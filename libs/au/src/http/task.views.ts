import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATUSES, TaskRecord, TaskStatus } from '../core/task-record';

const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());

export class TaskLinksView {
  @ApiProperty({ example: '/tasks/2f0c…' }) self: string;
  @ApiProperty({ example: '/tasks/2f0c…/result' }) result: string;
}

export class TaskErrorView {
  @ApiProperty({ example: 'Error' }) name: string;
  @ApiProperty({ example: 'boom' }) message: string;
}

/** `202` answer of `POST /tasks/{name}`. */
export class TaskAcceptedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() task: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: TaskStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: TaskLinksView }) links: TaskLinksView;
}

/** `GET /tasks/{id}`. */
export class TaskView extends TaskAcceptedView {
  @ApiProperty({ description: 'Attempts started so far' }) attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiPropertyOptional({ nullable: true, description: 'Last value reported with ctx.progress()' }) progress: unknown;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) durationMs: number | null;
  @ApiPropertyOptional({ type: TaskErrorView, nullable: true }) error: TaskErrorView | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiPropertyOptional({ description: 'OpenTelemetry trace id of the submit, present when the app traces' }) traceId?: string;
}

/** A finished record with its result (`POST ?wait=` that finished in time). */
export class TaskWithResultView extends TaskView {
  @ApiPropertyOptional({ nullable: true }) result: unknown;
}

/** `200` of `GET /tasks/{id}/result`. */
export class TaskResultView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['completed'] }) status: 'completed';
  @ApiProperty({ nullable: true }) result: unknown;
}

export class TaskPageView {
  @ApiProperty({ type: [TaskView] }) items: TaskView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export class ErrorView {
  @ApiProperty() statusCode: number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) message: string | string[];
}

export function taskLinks(id: string): TaskLinksView {
  return { self: `/tasks/${id}`, result: `/tasks/${id}/result` };
}

export function toAcceptedView(r: TaskRecord): TaskAcceptedView {
  return { id: r.id, task: r.task, status: r.status, createdAt: iso(r.createdAt)!, requestId: r.requestId ?? null, links: taskLinks(r.id) };
}

export function toTaskView(r: TaskRecord): TaskView {
  const view: TaskView = {
    id: r.id,
    task: r.task,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    progress: r.progress ?? null,
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.startedAt !== undefined && r.finishedAt !== undefined ? r.finishedAt - r.startedAt : null,
    error: r.error ?? null,
    requestId: r.requestId ?? null,
    parentId: r.parentId ?? null,
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
