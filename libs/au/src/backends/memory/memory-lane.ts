import type { TaskRecord } from '../../core/task-record';
import { BinaryHeap } from './binary-heap';
import { JobQueue } from './job-queue';

interface Prioritized<J> {
  job: J;
  priority: number;
  seq: number;
}

/**
 * The pending jobs of one task and how many of them run: jobs with a priority in a heap (lower number first, then
 * arrival), the rest in a FIFO after them, so a submission without a priority costs what a plain queue costs.
 */
export class MemoryLane<J extends { record: TaskRecord }> {
  private readonly fifo = new JobQueue<J>();
  private readonly prioritized = new BinaryHeap<Prioritized<J>>(
    (a, b) => a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq),
  );
  private seq = 0;
  running = 0;

  constructor(readonly concurrency: number) {}

  /** Jobs ready to start. */
  get waiting(): number {
    return this.fifo.length + this.prioritized.size;
  }

  push(job: J): void {
    const { priority } = job.record;
    if (priority === undefined) this.fifo.push(job);
    else this.prioritized.push({ job, priority, seq: ++this.seq });
  }

  shift(): J | undefined {
    return this.prioritized.size > 0 ? this.prioritized.pop()!.job : this.fifo.shift();
  }
}
