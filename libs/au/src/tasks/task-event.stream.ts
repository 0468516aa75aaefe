import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, of, Subscriber } from 'rxjs';
import { isFinished, TaskRecord } from '../core/task-record';
import { TaskChange, TaskEvent, TaskEventSource, TaskStatusEventData } from './task-events';
import { TaskService } from './task.service';

/** The final event of a finished record. */
export function finalEvent(record: TaskRecord): TaskEvent {
  const { id } = record;
  if (record.status === 'completed') return { type: 'completed', data: { id, status: 'completed', result: record.result ?? null } };
  if (record.status === 'failed') {
    return { type: 'failed', data: { id, status: 'failed', error: record.error ?? { name: 'Error', message: 'failed' } } };
  }
  return { type: 'cancelled', data: { id, status: 'cancelled' } };
}

/**
 * Where a status stands in a task's life, which only moves forward: pending, running 1, retrying 1, running 2...
 * A status heard at or behind the last one sent is old news (heard before the record was read, or twice).
 */
function positionOf(data: TaskStatusEventData): number {
  if (data.status === 'pending') return 0;
  return 2 * data.attempt + (data.status === 'retrying' ? 1 : 0);
}

/** The attempt that starts after the status at `position`: the first after pending, the same after running. */
function attemptAfter(position: number): number {
  return Math.max(1, Math.floor((position + 1) / 2));
}

/** The events that say where an unfinished record stands: its status, and its progress once it reported any. */
function snapshotEvents(record: TaskRecord): TaskEvent[] {
  const { id } = record;
  const events: TaskEvent[] = [];
  if (record.status === 'running') events.push({ type: 'status', data: { id, status: 'running', attempt: record.attempts } });
  else if (record.attempts > 0 && record.error) {
    events.push({ type: 'status', data: { id, status: 'retrying', attempt: record.attempts, error: record.error } });
  } else events.push({ type: 'status', data: { id, status: 'pending' } });
  if (record.progress !== undefined && record.progress !== null && record.progress !== 0) {
    events.push({ type: 'progress', data: { id, progress: record.progress } });
  }
  return events;
}

/**
 * A task's life as events, from wherever it stands when followed to its final event, whichever process runs it
 * (`GET /tasks/{id}/events`). The task is looked up through `TaskService.getOrThrow` (unknown: 404 before anything is
 * sent). Listening starts before the record is read again, so no change falls between the two; a change heard twice
 * (in the record and as it happened) is sent once, and a status never goes back. On shutdown every open stream ends
(a client such as EventSource reconnects, to another instance), so that no follower holds the HTTP server open. Unsubscribing stops listening.
 */
@Injectable()
export class TaskEventStream implements OnModuleDestroy {
  private readonly open = new Set<Subscriber<TaskEvent>>();

  constructor(
    private readonly tasks: TaskService,
    private readonly source: TaskEventSource,
  ) {}

  async follow(id: string): Promise<Observable<TaskEvent>> {
    const first = await this.tasks.getOrThrow(id);
    if (isFinished(first.status)) return of(finalEvent(first));
    return new Observable<TaskEvent>((subscriber) => {
      this.open.add(subscriber);
      let stop: (() => void) | undefined;
      let closed = false;
      /** Changes heard before the record was read again, then `undefined`: each change is sent as it comes. */
      let early: TaskChange[] | undefined = [];
      let ending = false;
      let lastPosition = -1;
      let lastProgress = '0';

      const send = (event: TaskEvent) => {
        if (event.type === 'status') {
          const position = positionOf(event.data);
          if (position <= lastPosition) return;
          lastPosition = position;
        } else if (event.type === 'progress') {
          const key = JSON.stringify(event.data.progress ?? null);
          if (key === lastProgress) return;
          lastProgress = key;
        }
        subscriber.next(event);
      };
      const finish = (record: TaskRecord | undefined) => {
        if (record && isFinished(record.status)) subscriber.next(finalEvent(record));
        subscriber.complete();
      };
      /** The record read again after changes may have been missed: what is newer is sent, a finished one ends. */
      const resync = (record: TaskRecord | undefined) => {
        if (ending || closed || !record) return;
        if (!isFinished(record.status)) return snapshotEvents(record).forEach((event) => send(event));
        ending = true;
        finish(record);
      };
      const apply = (change: TaskChange) => {
        if (ending || closed) return;
        if (change.type === 'resync') return void this.tasks.get(id).then(resync, (error: unknown) => subscriber.error(error));
        if (change.type === 'started') return send({ type: 'status', data: { id, status: 'running', attempt: attemptAfter(lastPosition) } });
        if (change.type !== 'ended') return send(change);
        ending = true;
        this.tasks.get(id).then(finish, (error: unknown) => subscriber.error(error));
      };

      this.source
        .listen(id, first.task, (change) => (early ? early.push(change) : apply(change)))
        .then(async (unlisten) => {
          stop = unlisten;
          if (closed) return unlisten();
          const now = (await this.tasks.get(id)) ?? first;
          if (closed) return;
          if (isFinished(now.status)) return finish(now);
          snapshotEvents(now).forEach((event) => send(event));
          // Of the progress heard meanwhile only the latest counts: the record has the others, or older ones. An
          // attempt heard starting meanwhile may be older than the record or not: which one it is, a read tells.
          const heard = early ?? [];
          early = undefined;
          const latest = heard.filter((change) => change.type === 'progress').pop();
          heard.filter((change) => change.type !== 'started' && (change.type !== 'progress' || change === latest)).forEach(apply);
          if (heard.some((change) => change.type === 'started')) apply({ type: 'resync' });
        })
        .catch((error: unknown) => subscriber.error(error));

      return () => {
        closed = true;
        this.open.delete(subscriber);
        stop?.();
      };
    });
  }

  onModuleDestroy(): void {
    for (const subscriber of [...this.open]) subscriber.complete();
  }
}
