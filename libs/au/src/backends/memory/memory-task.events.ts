import { Injectable } from '@nestjs/common';
import { TaskChange, TaskChangeListener, TaskEventSource, TaskListeners } from '../../tasks/task-events';

/** The memory backend's changes, heard in its own process: the backend tells them (`emit`) as it records them. */
@Injectable()
export class MemoryTaskEvents extends TaskEventSource {
  private readonly listeners = new TaskListeners();

  async listen(id: string, _task: string, listener: TaskChangeListener): Promise<() => void> {
    return this.listeners.add(id, listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  emit(id: string, change: TaskChange): void {
    this.listeners.emit(id, change);
  }
}
