import { config } from './config';
import { HttpApp, startAuApp, startBareApp } from './harness/apps';
import { PostClient } from './harness/http-client';
import { runConcurrently } from './harness/loops';
import type { BenchRedis } from './harness/redis-server';
import { measureWithLowSteal } from './harness/steal';
import { median, pairedRatio, percentile } from './harness/stats';
import type { Row } from './harness/table';

const PERCENTILES = [50, 95, 99] as const;
/**
 * Each measurement of a round is cut into this many slices, the apps taking turns slice by slice (the order flipping
 * each slice): a machine whose speed drifts for seconds at a time then slows all of them alike, rather than whichever
 * app was measuring then.
 */
const SLICES = 10;

/**
 * Round-trip times of `total` requests on `client`, `concurrency` at a time, after `concurrency` more whose times are
 * not kept (an app that sat idle while the others took their turn starts cold); every answer must be 200.
 */
async function measureOn(app: HttpApp, client: PostClient, total: number, concurrency: number): Promise<number[]> {
  const samples: number[] = [];
  let warming = concurrency;
  await runConcurrently(total + concurrency, concurrency, async () => {
    const { status, ms } = await client.post();
    if (status !== 200) throw new Error(`${app.name}: POST /tasks/noop?wait=5 answered ${status}, not 200`);
    if (warming > 0) warming--;
    else samples.push(ms);
  });
  return samples;
}

/** `total` requests per app, `concurrency` at a time on keep-alive connections, the apps taking turns in SLICES slices. */
async function measureInTurns(apps: HttpApp[], total: number, concurrency: number): Promise<Record<string, number[]>> {
  // One client per app for the whole measurement: its connections, opened in the first slice, serve every slice.
  const clients = new Map(apps.map((app) => [app, new PostClient(app.url, '/tasks/noop?wait=5', concurrency)]));
  const samples: Record<string, number[]> = {};
  try {
    for (let slice = 0; slice < SLICES; slice++) {
      const count = Math.floor((total * (slice + 1)) / SLICES) - Math.floor((total * slice) / SLICES);
      for (const app of slice % 2 ? [...apps].reverse() : apps) {
        (samples[app.name] ??= []).push(...(await measureOn(app, clients.get(app)!, count, concurrency)));
      }
    }
  } finally {
    for (const client of clients.values()) client.close();
  }
  return samples;
}

/**
 * Row 3: submit → result latency with an idle worker: `POST /tasks/noop?wait=5` on the au app with AU_ROLE=all (Bull;
 * the worker runs in the same process at the demo task's concurrency 1), and on the bare app doing queue.add +
 * completion on the queue's 'completed' event with queue.process(1). Sequential, then `latencyConcurrency` callers on
 * keep-alive connections. Also, without a goal, the bare app with au's features written by hand (role `features-all`:
 * validation, the request id through nestjs-cls into the job and around its run): rows "same features".
 */
export async function latencyBench(redis: BenchRedis, log: (line: string) => void): Promise<Row[]> {
  const apps = [
    await startAuApp('all', redis.url, 'bench-lat-au'),
    await startBareApp('all', redis.url, 'bench-lat-bare'),
    await startBareApp('features-all', redis.url, 'bench-lat-features'),
  ];
  const modes = [
    { key: 'sequential', total: config.latencySequential, concurrency: 1 },
    { key: `concurrency ${config.latencyConcurrency}`, total: config.latencyConcurrentRequests, concurrency: config.latencyConcurrency },
  ];
  // figures[mode][app][percentile] = one value per round
  const figures: Record<string, Record<string, Record<number, number[]>>> = {};
  try {
    for (let round = 0; round < config.rounds; round++) {
      await redis.flush();
      for (const app of apps) await measureInTurns([app], config.latencyWarmup, 1);
      for (const mode of modes) {
        const { result: samples, note } = await measureWithLowSteal(() => measureInTurns(apps, mode.total, mode.concurrency));
        for (const app of apps) {
          const byApp = ((figures[mode.key] ??= {})[app.name] ??= {});
          for (const p of PERCENTILES) (byApp[p] ??= []).push(percentile(samples[app.name], p));
          const shown = PERCENTILES.map((p) => `p${p} ${percentile(samples[app.name], p).toFixed(2)} ms`).join(', ');
          log(`  round ${round + 1} ${app.name} ${mode.key}: ${shown}${note && ` (${note})`}`);
        }
      }
    }
  } finally {
    await Promise.all(apps.map((app) => app.process.stop()));
  }
  const rows: Row[] = [];
  for (const mode of modes) {
    for (const p of PERCENTILES) {
      const au = median(figures[mode.key].au[p]);
      const bare = median(figures[mode.key].bare[p]);
      const ratio = pairedRatio(figures[mode.key].au[p], figures[mode.key].bare[p]);
      // An absolute bound (issue 5) and one relative to bare in the same run (issue 20).
      const goal = p === 50 ? { ms: 3, ratio: 1.2 } : p === 99 ? { ms: 15, ratio: 1.5 } : undefined;
      rows.push({
        id: `3 ${mode.concurrency === 1 ? 'seq' : `c${mode.concurrency}`} p${p}`,
        what: `Latency submit → result, \`POST /tasks/noop?wait=5\`, ${mode.key} (AU_ROLE=all, Bull)`,
        unit: 'ms',
        au,
        bare,
        ratio,
        goal: goal ? `au ≤ ${goal.ms} ms and ≤ ${goal.ratio} × bare` : undefined,
        met: goal ? au <= goal.ms && ratio <= goal.ratio : undefined,
      });
    }
    for (const p of [50, 99] as const) {
      rows.push({
        id: `3 ${mode.concurrency === 1 ? 'seq' : `c${mode.concurrency}`} p${p} same features`,
        what: `Latency as above, ${mode.key}; against the bare app with validation and the request id through nestjs-cls (into the job and around its run) written by hand`,
        unit: 'ms',
        au: median(figures[mode.key].au[p]),
        bare: median(figures[mode.key].features[p]),
        ratio: pairedRatio(figures[mode.key].au[p], figures[mode.key].features[p]),
      });
    }
  }
  return rows;
}
