function env(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

/** Worker concurrency of the in-process benchmarks (rows 2 and 4), au and bare alike. */
export const WORKER_CONCURRENCY = 50;

/** Benchmark settings; every one can be changed through its env var (e.g. BENCH_ROUNDS=3 npm run bench). */
export const config = {
  /** Rounds per figure; each figure is the median of its rounds. */
  rounds: env('BENCH_ROUNDS', 5),
  /** Row 1: autocannon connections, seconds measured, seconds of warm-up before each measurement. */
  httpConnections: env('BENCH_HTTP_CONNECTIONS', 64),
  httpSeconds: env('BENCH_HTTP_SECONDS', 8),
  httpWarmupSeconds: env('BENCH_HTTP_WARMUP_SECONDS', 2),
  /** Row 2: tasks per round, callers submitting at once, warm-up tasks before each round. */
  e2eTasks: env('BENCH_E2E_TASKS', 20_000),
  submitConcurrency: env('BENCH_SUBMIT_CONCURRENCY', 64),
  e2eWarmup: env('BENCH_E2E_WARMUP', 2_000),
  /** Row 3: sequential requests, concurrent callers and their total requests, warm-up requests. */
  latencySequential: env('BENCH_LATENCY_SEQUENTIAL', 500),
  latencyConcurrency: env('BENCH_LATENCY_CONCURRENCY', 16),
  latencyConcurrentRequests: env('BENCH_LATENCY_CONCURRENT_REQUESTS', 2_000),
  latencyWarmup: env('BENCH_LATENCY_WARMUP', 200),
  /** Row 5: sequential tasks whose Redis commands are counted. */
  redisWorkTasks: env('BENCH_REDIS_WORK_TASKS', 500),
  /**
   * Rows 1-3: a measurement during which the hypervisor took more than this share of the machine's CPU time
   * (steal) is taken again, up to twice (harness/steal.ts); on these VMs steal comes and goes between 0 and 30%.
   */
  maxSteal: env('BENCH_MAX_STEAL_PERCENT', 10) / 100,
  /** Row 4: tasks per throughput round, tasks of the memory run. */
  memoryTasks: env('BENCH_MEMORY_TASKS', 200_000),
  rssTasks: env('BENCH_RSS_TASKS', 1_000_000),
};
