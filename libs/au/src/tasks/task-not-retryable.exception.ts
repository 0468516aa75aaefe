import type { TaskRecord } from '../core/task-record';
import { TaskStatusConflictException } from './task.exceptions';

/** Only failed and cancelled tasks can be retried; a pending, running or completed one answers this (409). */
export class TaskNotRetryableException extends TaskStatusConflictException {
  constructor(record: Pick<TaskRecord, 'id' | 'status'>) {
    super(record, `Task ${record.id} is ${record.status}; only failed or cancelled tasks can be retried`);
  }
}
