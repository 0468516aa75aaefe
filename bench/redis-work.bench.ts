import { config } from './config';
import { HttpApp, startAuApp, startBareApp } from './harness/apps';
import { PostClient } from './harness/http-client';
import { runConcurrently } from './harness/loops';
import type { BenchRedis } from './harness/redis-server';
import { median } from './harness/stats';
import type { Row } from './harness/table';

/** Commands Redis ran (those scripts run included) and script calls, per command name, from INFO commandstats. */
function commandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1], Number(match[2]));
  return calls;
}

const SCRIPT_CALLS = ['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall'];

/** "One script's worth" of Redis work: a script call and the seven commands au's own per-task script used to run. */
const ONE_SCRIPT = 8;

/**
 * Redis work of `tasks` sequential `POST /tasks/noop?wait=5` (AU_ROLE=all, Bull): every command Redis executes,
 * whether a client sent it or a Lua script called it (INFO commandstats counts both), reset after a warm-up. Both
 * apps run alone on the bench's Redis, so what is counted is theirs (their Bull timers included).
 */
async function measure(app: HttpApp, redis: BenchRedis, tasks: number) {
  const client = new PostClient(app.url, '/tasks/noop?wait=5', 1);
  const run = (n: number) =>
    runConcurrently(n, 1, async () => {
      const { status } = await client.post();
      if (status !== 200) throw new Error(`${app.name}: POST /tasks/noop?wait=5 answered ${status}, not 200`);
    });
  try {
    await run(config.latencyWarmup);
    await redis.command((c) => c.config('RESETSTAT'));
    await run(tasks);
    const stats = commandStats(await redis.command((c) => c.info('commandstats')));
    // The INFO call itself is counted too; leave it out.
    stats.set('info', (stats.get('info') ?? 1) - 1);
    let commands = 0;
    let scripts = 0;
    for (const [name, calls] of stats) {
      if (SCRIPT_CALLS.includes(name)) scripts += calls;
      else commands += calls;
    }
    return { commands: commands / tasks, scripts: scripts / tasks, top: [...stats].filter(([, calls]) => calls > 0).sort((a, b) => b[1] - a[1]) };
  } finally {
    client.close();
  }
}

/**
 * Row 5: Redis commands per task, au and bare Bull, submit to result with an idle worker in the same process. Goal:
 * au runs no more than bare plus one script's worth (the script call and the commands in it).
 */
export async function redisWorkBench(redis: BenchRedis, log: (line: string) => void): Promise<Row[]> {
  const apps = [await startAuApp('all', redis.url, 'bench-rw-au'), await startBareApp('all', redis.url, 'bench-rw-bare')];
  const figures: Record<string, { commands: number[]; scripts: number[] }> = {};
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const app of round % 2 ? [...apps].reverse() : apps) {
        await redis.flush();
        const { commands, scripts, top } = await measure(app, redis, config.redisWorkTasks);
        const byApp = (figures[app.name] ??= { commands: [], scripts: [] });
        byApp.commands.push(commands);
        byApp.scripts.push(scripts);
        const shown = top.map(([name, calls]) => `${name} ${(calls / config.redisWorkTasks).toFixed(2)}`).join(', ');
        log(`  round ${round + 1} ${app.name}: ${commands.toFixed(2)} commands and ${scripts.toFixed(2)} scripts per task (${shown})`);
      }
    }
  } finally {
    await Promise.all(apps.map((app) => app.process.stop()));
  }
  const au = { commands: median(figures.au.commands), scripts: median(figures.au.scripts) };
  const bare = { commands: median(figures.bare.commands), scripts: median(figures.bare.scripts) };
  const what = `Redis work per task, \`POST /tasks/noop?wait=5\` sequential (AU_ROLE=all, Bull), INFO commandstats`;
  return [
    { id: '5 commands', what: `${what}: commands run, by clients or scripts`, unit: 'per task', au: au.commands, bare: bare.commands },
    { id: '5 scripts', what: `${what}: script calls (EVALSHA)`, unit: 'per task', au: au.scripts, bare: bare.scripts },
    {
      id: '5 total',
      what: `${what}: commands and script calls`,
      unit: 'per task',
      au: au.commands + au.scripts,
      bare: bare.commands + bare.scripts,
      goal: `au ≤ bare + ${ONE_SCRIPT} (one script call and ${ONE_SCRIPT - 1} commands in it)`,
      met: au.commands + au.scripts <= bare.commands + bare.scripts + ONE_SCRIPT,
    },
  ];
}
