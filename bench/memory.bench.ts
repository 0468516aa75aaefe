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
  heapUsedMb: Record<string, number>;
}

/**
 * Row 4: the in-memory backend end to end in one process (runners/memory.ts), au against a plain in-process async
 * queue: tasks/s (median of the rounds, each in a fresh process), then RSS and the live JS heap after a full GC at
 * checkpoints of one run of `rssTasks` tasks with `resultTtlSeconds: 1`, measured once that TTL has run out. Flat means no growth with the task count:
 * the last checkpoint no higher than the highest before it (+10% for RSS, which V8 and malloc hand back unevenly;
 * +10 MB for the heap).
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
    log(`  heap ${which}: ` + Object.entries(rss[which].heapUsedMb).map(([k, v]) => `${k}=${v.toFixed(0)} MB`).join(', '));
  }
  const checkpoints = Object.keys(rss.au.rssMb).filter((k) => k !== 'start');
  const last = checkpoints[checkpoints.length - 1];
  const label = (checkpoint: string) => `${Number(checkpoint) / 1000}k`;
  const earlierPeak = (series: Record<string, number>) => Math.max(...checkpoints.slice(0, -1).map((c) => series[c]));
  for (const [kind, key, what, slack] of [
    ['rss', 'rssMb', 'RSS', (peak: number) => 0.1 * peak],
    ['heap', 'heapUsedMb', 'live JS heap', () => 10],
  ] as const) {
    const au = rss.au[key];
    const peak = earlierPeak(au);
    for (const checkpoint of checkpoints) {
      // Flatness needs an earlier checkpoint to compare with (BENCH_RSS_TASKS >= 250,000).
      const isLast = checkpoint === last && checkpoints.length > 1;
      rows.push({
        id: `4 ${kind} ${label(checkpoint)}`,
        what: `In-memory backend: ${what} after GC, ${Number(checkpoint).toLocaleString('en-US')} tasks done and their TTL (1 s) past`,
        unit: 'MB',
        au: au[checkpoint],
        bare: rss.bare[key][checkpoint],
        goal: isLast ? `flat: ${label(last)} ≤ highest of ${label(checkpoints[0])}-${label(checkpoints[checkpoints.length - 2])} + ${kind === 'rss' ? '10%' : '10 MB'}` : undefined,
        met: isLast ? au[last] <= peak + slack(peak) : undefined,
      });
    }
  }
  return rows;
}
