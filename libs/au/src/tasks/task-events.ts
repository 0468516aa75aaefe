import type { TaskError } from '../core/task-record';

/** `status` event: the task waits, runs (which attempt), or failed an attempt and waits `delayMs` for the next. */
export type TaskStatusEventData =
  | { id: string; status: 'pending' }
  | { id: string; status: 'running'; attempt: number }
  | { id: string; status: 'retrying'; attempt: number; error: TaskError; delayMs?: number };

/**
 * One change of a task as `GET /tasks/{id}/events` sends it: the SSE event name (`type`) and its JSON `data`.
 * `completed`, `failed` and `cancelled` are final: the stream ends after them.
 */
export type TaskEvent =
  | { type: 'status'; data: TaskStatusEventData }
  | { type: 'progress'; data: { id: string; progress: unknown } }
  | { type: 'completed'; data: { id: string; status: 'completed'; result: unknown } }
  | { type: 'failed'; data: { id: string; status: 'failed'; error: TaskError } }
  | { type: 'cancelled'; data: { id: string; status: 'cancelled' } };

/**
 * What a backend tells of a task as it happens: a status or progress event; that an attempt started, without saying
 * which (the one after the last status: a source that hears only the job's id, as Bull's active message gives it);
 * that it ended (read the record); or that changes may have been missed (the source lost its connection for a while:
 * read the record again).
 */
export type TaskChange =
  | Extract<TaskEvent, { type: 'status' | 'progress' }>
  | { type: 'started' }
  | { type: 'ended' }
  | { type: 'resync' };

export type TaskChangeListener = (change: TaskChange) => void;

/**
 * Where a backend makes the changes of a task's life heard, in every process that may follow it: the memory backend
 * in its own process, the Bull backend through Redis pub/sub. Each backend module provides one.
 */
export abstract class TaskEventSource {
  /**
   * Starts hearing the changes of task `id` (named `task`): resolves once listening, so that any change made after
   * that reaches `listener`, with the function that stops listening (and frees what listening held).
   */
  abstract listen(id: string, task: string, listener: TaskChangeListener): Promise<() => void>;

  /** How many listeners are held now (for leak checks). */
  abstract listenerCount(): number;
}

/** Listeners by task id, called in order; what every source keeps. */
export class TaskListeners {
  private readonly byId = new Map<string, Set<TaskChangeListener>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds `listener` for `id`; returns the function that removes it (once). */
  add(id: string, listener: TaskChangeListener): () => void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(listener);
    this.count++;
    return () => {
      const current = this.byId.get(id);
      if (!current?.delete(listener)) return;
      this.count--;
      if (current.size === 0) this.byId.delete(id);
    };
  }

  emit(id: string, change: TaskChange): void {
    const set = this.byId.get(id);
    if (!set) return;
    for (const listener of [...set]) listener(change);
  }

  emitAll(change: TaskChange): void {
    for (const id of [...this.byId.keys()]) this.emit(id, change);
  }
}
