import { InvalidCursorError } from '../../core/au.errors';
import type { TaskRecord, TaskStatus } from '../../core/task-record';
import { MemoryRecords } from './memory-records';
import { MemoryTaskStore } from './memory-task.store';

let next = 0;
function record(patch: Partial<TaskRecord> = {}): TaskRecord {
  next++;
  return {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    task: 'noop',
    status: 'pending',
    attempts: 0,
    maxAttempts: 1,
    progress: 0,
    createdAt: Date.now(),
    ...patch,
  };
}

describe('MemoryTaskStore over MemoryRecords', () => {
  let records: MemoryRecords;
  let store: MemoryTaskStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    records = new MemoryRecords();
    store = new MemoryTaskStore(records);
  });

  afterEach(() => {
    records.onModuleDestroy();
    jest.useRealTimers();
  });

  /** Creates `r` and moves it to `status` (finished ones start their TTL now). */
  async function add(r: TaskRecord, ttlSeconds = 60, status: TaskStatus = r.status): Promise<TaskRecord> {
    await store.create(r, ttlSeconds);
    if (status !== 'pending') records.apply(r.id, { status, finishedAt: Date.now() });
    return r;
  }

  describe('records', () => {
    it('keeps a copy of the created record and applies patches', async () => {
      const r = record();
      await store.create(r, 60);
      r.status = 'failed';
      expect(await store.get(r.id)).toMatchObject({ id: r.id, status: 'pending' });
      const patched = records.apply(r.id, { status: 'running', attempts: 1, startedAt: Date.now() });
      expect(patched).toMatchObject({ status: 'running', attempts: 1 });
      expect(await store.get(r.id)).toMatchObject({ status: 'running', attempts: 1 });
      expect(records.size).toBe(1);
    });

    it('answers undefined for an unknown id, and update of one does nothing', async () => {
      expect(await store.get('nope')).toBeUndefined();
      expect(records.apply('nope', { status: 'completed' })).toBeUndefined();
      expect(records.size).toBe(0);
    });
  });

  describe('TTL', () => {
    it('expires a finished record ttlSeconds after it finished, on read', async () => {
      const r = await add(record(), 2, 'completed');
      jest.advanceTimersByTime(1999);
      expect(await store.get(r.id)).toMatchObject({ status: 'completed' });
      jest.advanceTimersByTime(1);
      expect(await store.get(r.id)).toBeUndefined();
    });

    it('sweeps expired records without reads, so memory stays flat', async () => {
      for (let i = 0; i < 10; i++) await add(record(), 1, 'completed');
      expect(records.size).toBe(10);
      jest.advanceTimersByTime(2000);
      expect(records.size).toBe(0);
    });

    it('sweeps from create when the timer cannot fire (a submit-and-await loop running on promises alone)', async () => {
      for (let i = 0; i < 10; i++) await add(record(), 1, 'completed');
      // The clock moves but no timer runs, as in a loop that never yields to the event loop's timer phase.
      jest.setSystemTime(Date.now() + 2000);
      await add(record());
      expect(records.size).toBe(1);
    });

    it('counts the TTL from finishedAt, and never expires unfinished records', async () => {
      const pending = await add(record(), 1);
      const running = await add(record(), 1, 'running');
      const done = record();
      await store.create(done, 1);
      records.apply(done.id, { status: 'failed', finishedAt: Date.now() - 500 });
      jest.advanceTimersByTime(600);
      expect(await store.get(done.id)).toBeUndefined();
      jest.advanceTimersByTime(3_600_000);
      expect(await store.get(pending.id)).toMatchObject({ status: 'pending' });
      expect(await store.get(running.id)).toMatchObject({ status: 'running' });
    });

    it('lists no expired record', async () => {
      const gone = await add(record(), 1, 'completed');
      const kept = await add(record(), 10, 'completed');
      jest.advanceTimersByTime(1000);
      const page = await store.list({ limit: 10 });
      expect(page.items.map((r) => r.id)).toEqual([kept.id]);
      expect(page.items.map((r) => r.id)).not.toContain(gone.id);
    });
  });

  describe('list', () => {
    it('lists newest first and pages through nextCursor without gaps or duplicates', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await add(record())).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);
    });

    it('gives no nextCursor when the page is not full', async () => {
      await add(record());
      expect((await store.list({ limit: 2 })).nextCursor).toBeUndefined();
    });

    it('filters by task, status and request id', async () => {
      const a = await add(record({ task: 'a', requestId: 'req-1' }), 60, 'completed');
      const b = await add(record({ task: 'b', requestId: 'req-1' }), 60, 'failed');
      const c = await add(record({ task: 'a', requestId: 'req-2' }));
      const ids = async (query: Parameters<MemoryTaskStore['list']>[0]) => (await store.list(query)).items.map((r) => r.id);
      expect(await ids({ limit: 10, task: 'a' })).toEqual([c.id, a.id]);
      expect(await ids({ limit: 10, status: 'failed' })).toEqual([b.id]);
      expect(await ids({ limit: 10, requestId: 'req-1' })).toEqual([b.id, a.id]);
      expect(await ids({ limit: 10, task: 'a', status: 'pending' })).toEqual([c.id]);
      expect(await ids({ limit: 10, task: 'c' })).toEqual([]);
    });

    it('pages a filtered list', async () => {
      const want: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await add(record({ task: i % 2 ? 'odd' : 'even' }));
        if (i % 2) want.push(r.id);
      }
      const first = await store.list({ limit: 2, task: 'odd' });
      const second = await store.list({ limit: 2, task: 'odd', cursor: first.nextCursor });
      expect(first.items).toHaveLength(2);
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual([...want].reverse());
      expect(second.nextCursor).toBeUndefined();
    });

    it.each(['abc', '-1', '1.5', '', '1'.repeat(16)])('rejects the cursor %j', async (cursor) => {
      await expect(store.list({ limit: 2, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('waitForFinish', () => {
    it('wakes as soon as the task finishes, without polling (no timer needs to fire)', async () => {
      const r = await add(record(), 60, 'running');
      const waiting = store.waitForFinish(r.id, 30_000);
      const settled = jest.fn();
      void waiting.then(settled);
      await Promise.resolve();
      expect(settled).not.toHaveBeenCalled();
      records.apply(r.id, { status: 'completed', result: 42, finishedAt: Date.now() });
      await expect(waiting).resolves.toMatchObject({ id: r.id, status: 'completed', result: 42 });
    });

    it('wakes every waiter of the task', async () => {
      const r = await add(record(), 60, 'running');
      const waits = [store.waitForFinish(r.id, 30_000), store.waitForFinish(r.id, 30_000)];
      records.apply(r.id, { status: 'cancelled', finishedAt: Date.now() });
      const woken = await Promise.all(waits);
      expect(woken.map((x) => x?.status)).toEqual(['cancelled', 'cancelled']);
    });

    it('answers the unfinished record once the timeout passes', async () => {
      const r = await add(record(), 60, 'running');
      const waiting = store.waitForFinish(r.id, 500);
      const settled = jest.fn();
      void waiting.then(settled);
      await jest.advanceTimersByTimeAsync(499);
      expect(settled).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await expect(waiting).resolves.toMatchObject({ id: r.id, status: 'running' });
    });

    it('answers at once for a finished task, a zero timeout, or an unknown id', async () => {
      const done = await add(record(), 60, 'completed');
      const running = await add(record(), 60, 'running');
      await expect(store.waitForFinish(done.id, 30_000)).resolves.toMatchObject({ status: 'completed' });
      await expect(store.waitForFinish(running.id, 0)).resolves.toMatchObject({ status: 'running' });
      await expect(store.waitForFinish('nope', 30_000)).resolves.toBeUndefined();
    });

    it('is woken by shutdown', async () => {
      const r = await add(record(), 60, 'running');
      const waiting = store.waitForFinish(r.id, 30_000);
      records.onModuleDestroy();
      await expect(waiting).resolves.toMatchObject({ status: 'running' });
    });
  });
});
