import { firstValueFrom, toArray } from 'rxjs';
import type { TaskRecord } from '../core/task-record';
import { TaskChange, TaskChangeListener, TaskEvent, TaskEventSource, TaskListeners } from './task-events';
import { TaskEventStream } from './task-event.stream';
import type { TaskService } from './task.service';

const ID = '00000000-0000-4000-8000-000000000001';

/** A source whose listening starts when the test says so: changes can be told before and after. */
class ManualSource extends TaskEventSource {
  readonly listeners = new TaskListeners();
  private start?: () => void;

  listen(id: string, _task: string, listener: TaskChangeListener): Promise<() => void> {
    const stop = this.listeners.add(id, listener);
    return new Promise((resolve) => (this.start = () => resolve(stop)));
  }

  listening(): void {
    this.start?.();
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  tell(change: TaskChange): void {
    this.listeners.emit(ID, change);
  }
}

function record(patch: Partial<TaskRecord>): TaskRecord {
  return { id: ID, task: 'sleep', status: 'pending', attempts: 0, maxAttempts: 3, progress: 0, createdAt: 0, ...patch };
}

describe('TaskEventStream', () => {
  let current: TaskRecord;
  let source: ManualSource;
  let stream: TaskEventStream;
  const tasks = { getOrThrow: async () => current, get: async () => current } as unknown as TaskService;
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    source = new ManualSource();
    stream = new TaskEventStream(tasks, source);
  });

  it('answers a finished task with its final event alone, without listening', async () => {
    current = record({ status: 'completed', attempts: 1, result: 42 });
    const events = await firstValueFrom((await stream.follow(ID)).pipe(toArray()));
    expect(events).toEqual([{ type: 'completed', data: { id: ID, status: 'completed', result: 42 } }]);
    expect(source.listenerCount()).toBe(0);
  });

  it('sends the record as read after listening, then only what is newer: no status goes back, the latest progress once', async () => {
    current = record({});
    const seen: TaskEvent[] = [];
    let done = false;
    (await stream.follow(ID)).subscribe({ next: (e) => seen.push(e), complete: () => (done = true) });
    // Heard before the record is read again, which already says running 2 at 40%.
    source.tell({ type: 'status', data: { id: ID, status: 'running', attempt: 1 } });
    source.tell({ type: 'progress', data: { id: ID, progress: 30 } });
    source.tell({ type: 'status', data: { id: ID, status: 'retrying', attempt: 1, error: { name: 'Error', message: 'x' }, delayMs: 5 } });
    source.tell({ type: 'status', data: { id: ID, status: 'running', attempt: 2 } });
    source.tell({ type: 'progress', data: { id: ID, progress: 40 } });
    current = record({ status: 'running', attempts: 2, progress: 40 });
    source.listening();
    await flush();
    expect(seen).toEqual([
      { type: 'status', data: { id: ID, status: 'running', attempt: 2 } },
      { type: 'progress', data: { id: ID, progress: 40 } },
    ]);
    source.tell({ type: 'progress', data: { id: ID, progress: 70 } });
    source.tell({ type: 'status', data: { id: ID, status: 'running', attempt: 2 } });
    current = record({ status: 'failed', attempts: 2, error: { name: 'Error', message: 'boom' } });
    source.tell({ type: 'ended' });
    source.tell({ type: 'progress', data: { id: ID, progress: 80 } });
    await flush();
    expect(seen.slice(2)).toEqual([
      { type: 'progress', data: { id: ID, progress: 70 } },
      { type: 'failed', data: { id: ID, status: 'failed', error: { name: 'Error', message: 'boom' } } },
    ]);
    expect(done).toBe(true);
    expect(source.listenerCount()).toBe(0);
  });

  it('names an attempt heard starting without its number: the first after pending, the next after retrying', async () => {
    current = record({});
    const seen: TaskEvent[] = [];
    (await stream.follow(ID)).subscribe((e) => seen.push(e));
    source.listening();
    await flush();
    source.tell({ type: 'started' });
    source.tell({ type: 'started' }); // the same attempt again (a stalled job taken over): old news
    source.tell({ type: 'status', data: { id: ID, status: 'retrying', attempt: 1, error: { name: 'Error', message: 'x' }, delayMs: 5 } });
    source.tell({ type: 'started' });
    await flush();
    expect(seen.filter((e) => e.type === 'status').map((e) => [e.data.status, 'attempt' in e.data ? e.data.attempt : undefined])).toEqual([
      ['pending', undefined],
      ['running', 1],
      ['retrying', 1],
      ['running', 2],
    ]);
  });

  it('reads the record again for an attempt heard starting before it was read: that start may be older or newer', async () => {
    current = record({});
    const seen: TaskEvent[] = [];
    (await stream.follow(ID)).subscribe((e) => seen.push(e));
    // Heard before the record is read: attempt 1 started and failed, attempt 2 started.
    source.tell({ type: 'started' });
    source.tell({ type: 'status', data: { id: ID, status: 'retrying', attempt: 1, error: { name: 'Error', message: 'x' }, delayMs: 5 } });
    source.tell({ type: 'started' });
    current = record({ status: 'pending', attempts: 1, error: { name: 'Error', message: 'x' } });
    let reads = 0;
    const get = tasks.get;
    tasks.get = async () => (++reads === 2 ? record({ status: 'running', attempts: 2 }) : current);
    source.listening();
    await flush();
    await flush();
    tasks.get = get;
    expect(seen.filter((e) => e.type === 'status').map((e) => [e.data.status, 'attempt' in e.data ? e.data.attempt : undefined])).toEqual([
      ['retrying', 1],
      ['running', 2],
    ]);
  });

  it('reads the record again on resync: sends what is newer, and ends if it finished meanwhile', async () => {
    current = record({ status: 'running', attempts: 1, progress: 10 });
    const seen: TaskEvent[] = [];
    (await stream.follow(ID)).subscribe((e) => seen.push(e));
    source.listening();
    await flush();
    current = record({ status: 'running', attempts: 1, progress: 60 });
    source.tell({ type: 'resync' });
    await flush();
    current = record({ status: 'cancelled', attempts: 1 });
    source.tell({ type: 'resync' });
    await flush();
    expect(seen.map((e) => [e.type, 'progress' in e.data ? e.data.progress : undefined])).toEqual([
      ['status', undefined],
      ['progress', 10],
      ['progress', 60],
      ['cancelled', undefined],
    ]);
    expect(source.listenerCount()).toBe(0);
  });

  it('lets go of the listener when the client leaves, even before listening started', async () => {
    current = record({ status: 'running', attempts: 1 });
    const subscription = (await stream.follow(ID)).subscribe();
    expect(source.listenerCount()).toBe(1);
    subscription.unsubscribe();
    source.listening();
    await flush();
    expect(source.listenerCount()).toBe(0);
  });
});
