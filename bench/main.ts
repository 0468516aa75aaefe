import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { bullE2eBench } from './bull-e2e.bench';
import { config } from './config';
import { httpSubmitBench } from './http-submit.bench';
import { latencyBench } from './latency.bench';
import { memoryBench } from './memory.bench';
import { redisWorkBench } from './redis-work.bench';
import { BenchRedis } from './harness/redis-server';
import { cpuTicks, stealShare } from './harness/steal';
import { renderTable, Row } from './harness/table';

const log = (line: string) => process.stderr.write(`${line}\n`);

function cpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1] ?? cpus()[0]?.model ?? '?';
}

/**
 * `npm run bench`: starts a private redis-server, runs rows 1-5 (BENCH_ONLY=1,3 runs a subset), prints the markdown
 * table on stdout (progress on stderr), stops Redis.
 */
async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5').split(',').map((s) => s.trim()));
  const redis = await BenchRedis.start();
  const rows: Row[] = [];
  const started = Date.now();
  const ticks = cpuTicks();
  try {
    const machine = `${cpus().length} CPUs (nproc), ${cpuModel()}; Node ${process.version}; Redis ${await redis.version()}`;
    log(`au benchmarks on ${machine}; Redis on 127.0.0.1:${redis.port}; ${config.rounds} rounds per figure`);
    if (only.has('1')) {
      log('1. HTTP submit throughput');
      rows.push(...(await httpSubmitBench(redis, log)));
    }
    if (only.has('2')) {
      log('2. End to end on Bull, one process');
      rows.push(...(await bullE2eBench(redis, log)));
    }
    if (only.has('3')) {
      log('3. Latency submit → result');
      rows.push(...(await latencyBench(redis, log)));
    }
    if (only.has('5')) {
      log('5. Redis work per task');
      rows.push(...(await redisWorkBench(redis, log)));
    }
    if (only.has('4')) {
      log('4. In-memory backend');
      rows.push(...(await memoryBench(log)));
    }
    process.stdout.write(`\n${renderTable(rows)}\n\n`);
    process.stdout.write(`Machine: ${machine}. Each figure is the median of ${config.rounds} rounds (RSS: one run each). `);
    process.stdout.write(`au / bare: rows 1 to 3 the median of the per-round quotients (au and bare measured back to back, row 3 in alternating slices), other rows au ÷ bare (higher is better for req/s and tasks/s, lower for ms and MB). `);
    const steal = stealShare(ticks);
    if (steal !== undefined) process.stdout.write(`Steal (CPU time the hypervisor gave to others) over the run: ${Math.round(steal * 100)}%. `);
    process.stdout.write(`Took ${Math.round((Date.now() - started) / 1000)} s.\n`);
  } finally {
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
