import { config } from './config';
import { HttpApp, startAuApp, startBareApp } from './harness/apps';
import { turnOrder } from './harness/loops';
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
 * Row 1: HTTP submit throughput. autocannon on `POST /tasks/noop` of the au reference app (AU_ROLE=api, Bull), of
 * the bare Nest + @nestjs/bull app, and of the bare app with the HTTP features of au's submit written by hand
 * (validation, X-Request-ID through nestjs-cls: bench/bare, role `features`), each its own process on the same Redis.
 * They take turns within a round (the order rotates every round), Redis emptied and a warm-up run before each
 * measurement. Two rows: au against bare (the goal), au against the same features by hand.
 */
export async function httpSubmitBench(redis: BenchRedis, log: (line: string) => void): Promise<Row[]> {
  const apps = [
    await startAuApp('api', redis.url, 'bench-http-au'),
    await startBareApp('api', redis.url, 'bench-http-bare'),
    await startBareApp('features', redis.url, 'bench-http-features'),
  ];
  const perSecond: Record<HttpApp['name'], number[]> = { au: [], bare: [], features: [] };
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const app of turnOrder(apps, round)) {
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
  const ratio = pairedRatio(perSecond.au, perSecond.bare);
  const what = `HTTP submit: \`POST /tasks/noop\`, ${config.httpConnections} connections, ${config.httpSeconds} s (AU_ROLE=api, Bull)`;
  return [
    { id: '1', what, unit: 'req/s', au, bare: median(perSecond.bare), ratio, goal: 'au ≥ 0.9 × bare', met: ratio >= 0.9 },
    {
      id: '1 same features',
      what: `${what}; against the bare app with validation and X-Request-ID through nestjs-cls written by hand`,
      unit: 'req/s',
      au,
      bare: median(perSecond.features),
      ratio: pairedRatio(perSecond.au, perSecond.features),
    },
  ];
}
