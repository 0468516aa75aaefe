import { config } from './config';
import { HttpApp, startAuApp, startBareApp } from './harness/apps';
import type { BenchRedis } from './harness/redis-server';
import { measureWithLowSteal } from './harness/steal';
import { median, pairedRatio } from './harness/stats';
import type { Row } from './harness/table';

// autocannon ships no types; this is the part used here.
interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function load(app: HttpApp, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: `${app.url}/tasks/noop`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    connections: config.httpConnections,
    pipelining: 1,
    duration: seconds,
  });
}

/**
 * Row 1: HTTP submit throughput. autocannon on `POST /tasks/noop` of the au reference app (AU_ROLE=api, Bull) and of
 * the bare Nest + @nestjs/bull app, both their own processes on the same Redis; au and bare alternate round by round
 * (order swapped every round), Redis emptied before each measurement, a warm-up run before each.
 */
export async function httpSubmitBench(redis: BenchRedis, log: (line: string) => void): Promise<Row> {
  const apps = [await startAuApp('api', redis.url, 'bench-http-au'), await startBareApp('api', redis.url, 'bench-http-bare')];
  const perSecond: Record<string, number[]> = { au: [], bare: [] };
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const app of round % 2 ? [...apps].reverse() : apps) {
        const { result, note } = await measureWithLowSteal(async () => {
          await redis.flush();
          await load(app, config.httpWarmupSeconds);
          const cpuBefore = app.process.cpuMicros();
          const loaded = await load(app, config.httpSeconds);
          return { ...loaded, cpuPerRequest: (app.process.cpuMicros() - cpuBefore) / loaded['2xx'] };
        });
        const bad = result.non2xx + result.errors + result.timeouts;
        if (bad) throw new Error(`${app.name}: ${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
        const rps = result['2xx'] / result.duration;
        perSecond[app.name].push(rps);
        log(`  round ${round + 1} ${app.name}: ${Math.round(rps)} req/s (${Math.round(result.cpuPerRequest)} µs CPU per request in the app${note && `, ${note}`})`);
      }
    }
  } finally {
    await Promise.all(apps.map((app) => app.process.stop()));
  }
  const au = median(perSecond.au);
  const bare = median(perSecond.bare);
  const ratio = pairedRatio(perSecond.au, perSecond.bare);
  return {
    id: '1',
    what: `HTTP submit: \`POST /tasks/noop\`, ${config.httpConnections} connections, ${config.httpSeconds} s (AU_ROLE=api, Bull)`,
    unit: 'req/s',
    au,
    bare,
    ratio,
    goal: 'au ≥ 0.9 × bare',
    met: ratio >= 0.9,
  };
}
