import { ConflictException } from '@nestjs/common';
import type { TaskRecord } from '../core/task-record';

/** Only failed and cancelled tasks can be retried; a pending, running or completed one answers this (409). */
export class TaskNotRetryableException extends ConflictException {
  constructor(record: Pick<TaskRecord, 'id' | 'status'>) {
    super({
      statusCode: 409,
      error: 'Conflict',
      message: `Task ${record.id} is ${record.status}; only failed or cancelled tasks can be retried`,
      id: record.id,
      status: record.status,
    });
  }
}
