import type { TaskRecord } from '../../core/task-record';
import { MemoryLane } from './memory-lane';

const job = (name: string, priority?: number) => ({ name, record: { priority } as TaskRecord });

describe('MemoryLane', () => {
  it('starts lower priority numbers first, ties in submission order, unprioritized jobs last in FIFO order', () => {
    const lane = new MemoryLane<ReturnType<typeof job>>(1);
    for (const j of [job('a'), job('p5', 5), job('b'), job('p1', 1), job('p5b', 5), job('p1b', 1)]) lane.push(j);
    expect(lane.waiting).toBe(6);
    const order: string[] = [];
    for (let j = lane.shift(); j; j = lane.shift()) order.push(j.name);
    expect(order).toEqual(['p1', 'p1b', 'p5', 'p5b', 'a', 'b']);
    expect(lane.waiting).toBe(0);
  });
});
