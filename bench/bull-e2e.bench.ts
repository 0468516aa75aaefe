import { join } from 'node:path';
import { config, WORKER_CONCURRENCY } from './config';
import { BENCH_DIST } from './harness/apps';
import { turnOrder } from './harness/loops';
import { runForResult } from './harness/node-process';
import { measureWithLowSteal } from './harness/steal';
import type { BenchRedis } from './harness/redis-server';
import { median, pairedRatio } from './harness/stats';
import type { Row } from './harness/table';

const RUNNER = join(BENCH_DIST, 'runners', 'bull-e2e.js');

const CONTENDERS = ['au', 'bare', 'features'] as const;

/**
 * Row 2: no-op tasks end to end on Bull, producer and worker in one process (runners/bull-e2e.ts). Every round runs
 * au, bare and bare with the request id carried into a nestjs-cls context (`features`) each in a fresh process, the
 * order rotating every round, Redis emptied before each. Two rows: au against bare (the goal), au against features.
 */
export async function bullE2eBench(redis: BenchRedis, log: (line: string) => void): Promise<Row[]> {
  const perSecond: Record<(typeof CONTENDERS)[number], number[]> = { au: [], bare: [], features: [] };
  for (let round = 0; round < config.rounds; round++) {
    for (const which of turnOrder(CONTENDERS, round)) {
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
  const ratio = pairedRatio(perSecond.au, perSecond.bare);
  const what = `End to end on Bull in one process: ${config.e2eTasks.toLocaleString('en-US')} no-op tasks, submit concurrency ${config.submitConcurrency}, worker concurrency ${WORKER_CONCURRENCY}`;
  return [
    { id: '2', what, unit: 'tasks/s', au, bare: median(perSecond.bare), ratio, goal: 'au ≥ 0.9 × bare', met: ratio >= 0.9 },
    {
      id: '2 same features',
      what: `${what}; against bare Bull carrying the request id into a nestjs-cls context around each job`,
      unit: 'tasks/s',
      au,
      bare: median(perSecond.features),
      ratio: pairedRatio(perSecond.au, perSecond.features),
    },
  ];
}
