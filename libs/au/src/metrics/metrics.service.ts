import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, LabelValues, Registry } from 'prom-client';
import { TaskBackend } from '../tasks/task.backend';
import { TaskHooks } from '../tasks/task-hooks';

/** Per-task totals of this process, as `GET /tasks/stats` shows them. */
export interface TaskStats {
  submitted: number;
  completed: number;
  failed: number;
  cancelled: number;
  retries: number;
  running: number;
  averageDurationMs: number | null;
}

const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];
const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;

type Totals = TaskStats & { durationTotalMs: number; runs: number };

/** The counters and the running gauge: one series per task (and status), read from the per-task totals at scrape time. */
const TOTALS_SERIES: {
  type: typeof Counter | typeof Gauge;
  name: string;
  help: string;
  labelNames: string[];
  read: (task: string, totals: Totals) => [LabelValues<string>, number][];
}[] = [
  { type: Counter, name: 'au_tasks_submitted_total', help: 'Tasks submitted', labelNames: ['task'], read: (task, t) => [[{ task }, t.submitted]] },
  {
    type: Counter,
    name: 'au_tasks_finished_total',
    help: 'Tasks finished, by final status',
    labelNames: ['task', 'status'],
    read: (task, t) => FINAL_STATUSES.map((status) => [{ task, status }, t[status]]),
  },
  { type: Counter, name: 'au_task_retries_total', help: 'Failed attempts that will be retried', labelNames: ['task'], read: (task, t) => [[{ task }, t.retries]] },
  { type: Gauge, name: 'au_tasks_running', help: 'Attempts running in this process', labelNames: ['task'], read: (task, t) => [[{ task }, t.running]] },
];

/**
 * au's Prometheus metrics, in a registry of its own (several apps in one process do not clash). Fed by the task
 * lifecycle hooks, so they count what happens in this process: submissions in an API, runs in a worker. The hooks
 * keep plain per-task totals (what `GET /tasks/stats` shows); the counters and the running gauge are read from them
 * at scrape time, so a task costs two histogram observations rather than six labelled updates. Queue depths are read
 * from the backend at scrape time.
 */
@Injectable()
export class AuMetrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly duration = new Histogram({ name: 'au_task_duration_seconds', help: 'Run time of each attempt', labelNames: ['task'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly wait = new Histogram({ name: 'au_task_wait_seconds', help: 'Time from submit to the first attempt start', labelNames: ['task'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly stats = new Map<string, Totals>();
  private unregister?: () => void;

  constructor(
    private readonly hooks: TaskHooks,
    backend: TaskBackend,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges that prom-client names *_total, which Prometheus reserves for counters (promtool rejects them).
    for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(name);
    const stats = this.stats;
    const fromTotals = (read: (task: string, totals: Totals) => [LabelValues<string>, number][]) =>
      function collect(this: { reset(): void; inc(labels: LabelValues<string>, value: number): void }) {
        this.reset();
        for (const [task, totals] of stats) for (const [labels, value] of read(task, totals)) this.inc(labels, value);
      };
    const registers = [this.registry];
    for (const { type, read, ...config } of TOTALS_SERIES) new type({ ...config, registers, collect: fromTotals(read) });
    new Gauge({
      name: 'au_queue_jobs',
      help: 'Jobs per task and state, read from the backend at scrape time',
      labelNames: ['task', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { task, state, count } of await backend.queueCounts().catch(() => [])) this.set({ task, state }, count);
      },
    });
  }

  onModuleInit(): void {
    this.unregister = this.hooks.register({
      onSubmit: ({ task }) => {
        this.totals(task).submitted++;
      },
      beforeRun: ({ task, attempt, createdAt }) => {
        if (attempt === 1) this.wait.observe({ task }, Math.max(0, Date.now() - createdAt) / 1000);
        this.totals(task).running++;
      },
      afterRun: ({ task, durationMs }) => {
        this.ran(task, durationMs).completed++;
      },
      onError: ({ task, durationMs, willRetry }) => {
        const totals = this.ran(task, durationMs);
        if (willRetry) totals.retries++;
        else totals.failed++;
      },
      onCancel: ({ task, wasRunning }) => {
        const totals = this.totals(task);
        if (wasRunning) totals.running--;
        totals.cancelled++;
      },
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  /** The Prometheus text exposition. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Totals per task, in this process. */
  snapshot(): Record<string, TaskStats> {
    const out: Record<string, TaskStats> = {};
    for (const [task, { durationTotalMs, runs, ...totals }] of this.stats) {
      out[task] = { ...totals, averageDurationMs: runs ? Math.round((durationTotalMs / runs) * 1000) / 1000 : null };
    }
    return out;
  }

  /** An attempt ended (it ran for `durationMs`); returns the task's totals for the outcome to be counted. */
  private ran(task: string, durationMs: number): Totals {
    this.duration.observe({ task }, durationMs / 1000);
    const totals = this.totals(task);
    totals.durationTotalMs += durationMs;
    totals.runs++;
    totals.running--;
    return totals;
  }

  private totals(task: string): Totals {
    let totals = this.stats.get(task);
    if (!totals) {
      totals = { submitted: 0, completed: 0, failed: 0, cancelled: 0, retries: 0, running: 0, averageDurationMs: null, durationTotalMs: 0, runs: 0 };
      this.stats.set(task, totals);
    }
    return totals;
  }
}
