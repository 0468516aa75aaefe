import { join } from 'node:path';
import { config, WORKER_CONCURRENCY } from './config';
import { BENCH_DIST } from './harness/apps';
import { runForResult } from './harness/node-process';
import { measureWithLowSteal } from './harness/steal';
import type { BenchRedis } from './harness/redis-server';
import { median, pairedRatio } from './harness/stats';
import type { Row } from './harness/table';

const RUNNER = join(BENCH_DIST, 'runners', 'bull-e2e.js');

/**
 * Row 2: no-op tasks end to end on Bull, producer and worker in one process (runners/bull-e2e.ts). Every round runs
 * au and bare each in a fresh process, order swapped every round, Redis emptied before each.
 */
export async function bullE2eBench(redis: BenchRedis, log: (line: string) => void): Promise<Row> {
  const perSecond: Record<string, number[]> = { au: [], bare: [] };
  for (let round = 0; round < config.rounds; round++) {
    for (const which of round % 2 ? ['bare', 'au'] : ['au', 'bare']) {
      const args = [which, redis.url, `bench-e2e-${which}`, String(config.e2eTasks), String(config.submitConcurrency), String(config.e2eWarmup)];
      const { result, note } = await measureWithLowSteal(async () => {
        await redis.flush();
        return runForResult<{ perSecond: number; cpuMicrosPerTask: number }>(RUNNER, args);
      });
      perSecond[which].push(result.perSecond);
      log(`  round ${round + 1} ${which}: ${Math.round(result.perSecond)} tasks/s (${Math.round(result.cpuMicrosPerTask)} µs CPU per task in this process${note && `, ${note}`})`);
    }
  }
  const au = median(perSecond.au);
  const bare = median(perSecond.bare);
  const ratio = pairedRatio(perSecond.au, perSecond.bare);
  return {
    id: '2',
    what: `End to end on Bull in one process: ${config.e2eTasks.toLocaleString('en-US')} no-op tasks, submit concurrency ${config.submitConcurrency}, worker concurrency ${WORKER_CONCURRENCY}`,
    unit: 'tasks/s',
    au,
    bare,
    ratio,
    goal: 'au ≥ 0.8 × bare',
    met: ratio >= 0.8,
  };
}
