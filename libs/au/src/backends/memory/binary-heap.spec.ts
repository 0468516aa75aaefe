import { BinaryHeap } from './binary-heap';

describe('BinaryHeap', () => {
  it('pops in order of `before`, whatever the order of pushes', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    for (const v of values) heap.push(v);
    expect(heap.size).toBe(200);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('keeps ties in push order when `before` breaks them by a sequence', () => {
    const heap = new BinaryHeap<{ p: number; seq: number }>((a, b) => a.p < b.p || (a.p === b.p && a.seq < b.seq));
    const items = [3, 1, 3, 2, 1, 3].map((p, seq) => ({ p, seq }));
    for (const item of items) heap.push(item);
    expect(heap.peek()).toEqual({ p: 1, seq: 1 });
    const out = [];
    for (let v = heap.pop(); v; v = heap.pop()) out.push(v.seq);
    expect(out).toEqual([1, 4, 3, 0, 2, 5]);
  });
});
