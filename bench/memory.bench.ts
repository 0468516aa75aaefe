import { join } from 'node:path';
import { config } from './config';
import { BENCH_DIST } from './harness/apps';
import { runForResult } from './harness/node-process';
import { median } from './harness/stats';
import type { Row } from './harness/table';

const RUNNER = join(BENCH_DIST, 'runners', 'memory.js');

interface RssResult {
  perSecond: number;
  rssMb: Record<string, number>;
}

/**
 * Row 4: the in-memory backend end to end in one process (runners/memory.ts), au against a plain in-process async
 * queue: tasks/s (median of the rounds, each in a fresh process), then RSS after a full GC at checkpoints of one run
 * of `rssTasks` tasks with `resultTtlSeconds: 1`.
 */
export async function memoryBench(log: (line: string) => void): Promise<Row[]> {
  const perSecond: Record<string, number[]> = { au: [], bare: [] };
  for (let round = 0; round < config.rounds; round++) {
    for (const which of round % 2 ? ['bare', 'au'] : ['au', 'bare']) {
      const result = await runForResult<{ perSecond: number; cpuMicrosPerTask: number }>(RUNNER, [which, 'throughput', String(config.memoryTasks), String(config.submitConcurrency)]);
      perSecond[which].push(result.perSecond);
      log(`  round ${round + 1} ${which}: ${Math.round(result.perSecond)} tasks/s (${Math.round(result.cpuMicrosPerTask)} µs CPU per task in this process)`);
    }
  }
  const au = median(perSecond.au);
  const bare = median(perSecond.bare);
  const rows: Row[] = [
    {
      id: '4',
      what: `In-memory backend end to end: ${config.memoryTasks.toLocaleString('en-US')} no-op tasks, submit concurrency ${config.submitConcurrency}, worker concurrency 50`,
      unit: 'tasks/s',
      au,
      bare,
      goal: 'au ≥ 20,000/s',
      met: au >= 20_000,
    },
  ];

  const rss: Record<string, RssResult> = {};
  for (const which of ['au', 'bare']) {
    rss[which] = await runForResult<RssResult>(RUNNER, [which, 'rss', String(config.rssTasks), String(config.submitConcurrency)], {}, ['--expose-gc']);
    log(`  rss ${which}: ` + Object.entries(rss[which].rssMb).map(([k, v]) => `${k}=${v.toFixed(0)} MB`).join(', '));
  }
  const checkpoints = Object.keys(rss.au.rssMb).filter((k) => k !== 'start');
  const first = rss.au.rssMb[checkpoints[0]];
  const last = rss.au.rssMb[checkpoints[checkpoints.length - 1]];
  for (const checkpoint of checkpoints) {
    const isLast = checkpoint === checkpoints[checkpoints.length - 1];
    rows.push({
      id: `4 rss ${Number(checkpoint) / 1000}k`,
      what: `In-memory backend: RSS after GC once ${Number(checkpoint).toLocaleString('en-US')} tasks are done (resultTtlSeconds: 1)`,
      unit: 'MB',
      au: rss.au.rssMb[checkpoint],
      bare: rss.bare.rssMb[checkpoint],
      goal: isLast ? `flat: ${Number(checkpoints[checkpoints.length - 1]) / 1000}k within 10% (or 20 MB) of ${Number(checkpoints[0]) / 1000}k` : undefined,
      met: isLast ? last - first <= Math.max(0.1 * first, 20) : undefined,
    });
  }
  return rows;
}
