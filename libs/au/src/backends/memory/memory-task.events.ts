import { Injectable } from '@nestjs/common';
import type { TaskError } from '../../core/task-record';
import { TaskChange, TaskChangeListener, TaskEventSource, TaskListeners } from '../../tasks/task-events';

const ENDED: TaskChange = { type: 'ended' };

/**
 * The memory backend's changes, heard in its own process: the backend tells them as it records them. A change of a
 * task nobody follows costs a map lookup, and no event is made for it.
 */
@Injectable()
export class MemoryTaskEvents extends TaskEventSource {
  private readonly listeners = new TaskListeners();

  async listen(id: string, _task: string, listener: TaskChangeListener): Promise<() => void> {
    return this.listeners.add(id, listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  running(id: string, attempt: number): void {
    if (this.listeners.has(id)) this.listeners.emit(id, { type: 'status', data: { id, status: 'running', attempt } });
  }

  retrying(id: string, attempt: number, error: TaskError, delayMs: number): void {
    if (this.listeners.has(id)) this.listeners.emit(id, { type: 'status', data: { id, status: 'retrying', attempt, error, delayMs } });
  }

  progress(id: string, progress: unknown): void {
    if (this.listeners.has(id)) this.listeners.emit(id, { type: 'progress', data: { id, progress } });
  }

  /** The task finished (its record says how). */
  ended(id: string): void {
    this.listeners.emit(id, ENDED);
  }
}
