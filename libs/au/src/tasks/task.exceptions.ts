import { ConflictException, NotFoundException } from '@nestjs/common';
import type { TaskRecord } from '../core/task-record';

/** No task with this id (unknown, expired, or not a task id at all). */
export class TaskNotFoundException extends NotFoundException {
  constructor(id: string) {
    super(`Task "${String(id).slice(0, 64)}" not found; it may have expired`);
  }
}

/** No task is registered under this name. */
export class UnknownTaskException extends NotFoundException {
  constructor(name: string, known: string[]) {
    super(`No task named "${String(name).slice(0, 64)}"; known tasks: ${known.join(', ') || '(none)'}`);
  }
}

/** A task whose status does not allow what was asked: `409 { statusCode, error, message, id, status }`. */
export class TaskStatusConflictException extends ConflictException {
  constructor(record: Pick<TaskRecord, 'id' | 'status'>, message: string) {
    super({ statusCode: 409, error: 'Conflict', message, id: record.id, status: record.status });
  }
}

/** The task already finished, so it can no longer be cancelled. */
export class TaskAlreadyFinishedException extends TaskStatusConflictException {
  constructor(record: TaskRecord) {
    super(record, `Task ${record.id} is already ${record.status} and cannot be cancelled`);
  }
}

/** The task failed or was cancelled, so it has no result. */
export class TaskHasNoResultException extends ConflictException {
  constructor(record: TaskRecord) {
    super({
      statusCode: 409,
      message: `Task ${record.id} is ${record.status} and has no result`,
      id: record.id,
      status: record.status,
      error: record.error ?? null,
    });
  }
}
