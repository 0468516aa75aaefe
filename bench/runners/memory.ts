import { BareQueue } from '../bare/bare-queue';
import { WORKER_CONCURRENCY } from '../config';
import { runConcurrently } from '../harness/loops';
import { printResult } from '../harness/node-process';
import { startAu } from './au-app';

/**
 * Row 4, one round in a fresh process: no-op tasks end to end on the in-memory backend. `au`: TaskService.submit +
 * handle.result() (records kept `resultTtlSeconds: 1`); `bare`: a plain in-process async queue calling the function.
 * Mode `throughput`: tasks/s over `n` tasks after a warm-up. Mode `rss`: RSS and live heap after a full GC (run node
 * with --expose-gc) at each checkpoint while `n` tasks pass, once the finished records' TTL has run out. Args: au|bare throughput|rss n submitConcurrency.
 */
/** How long the rss mode waits at each checkpoint before measuring (au and bare alike). */
const SETTLE_MS = 2500;

async function main(): Promise<void> {
  const [which, mode, nRaw, concurrencyRaw] = process.argv.slice(2);
  const n = Number(nRaw);
  const concurrency = Number(concurrencyRaw);
  let one: () => Promise<unknown>;
  let close: () => Promise<unknown> = async () => undefined;

  if (which === 'au') {
    const { tasks, app } = await startAu({ backend: 'memory', resultTtlSeconds: 1 });
    one = async () => (await tasks.submit('noop', {})).result();
    close = () => app.close();
  } else {
    const queue = new BareQueue(WORKER_CONCURRENCY);
    const noop = () => null;
    one = () => queue.run(noop);
  }

  if (mode === 'throughput') {
    await runConcurrently(Math.min(n, 20_000), concurrency, one);
    const cpu = process.cpuUsage();
    const elapsedMs = await runConcurrently(n, concurrency, one);
    const { user, system } = process.cpuUsage(cpu);
    await close();
    printResult({ which, n, elapsedMs, perSecond: (n / elapsedMs) * 1000, cpuMicrosPerTask: (user + system) / n });
  } else {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with node --expose-gc');
    // RSS and the live JS heap after a full GC; the heap tells records kept from memory V8 has not handed back yet.
    const heap: Record<string, number> = {};
    const rssMb = (at: string) => {
      gc();
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      heap[at] = heapUsed / 1024 / 1024;
      return rss / 1024 / 1024;
    };
    const checkpoints = [100_000, 250_000, 500_000, 1_000_000].filter((c) => c <= n);
    const rss: Record<string, number> = { start: rssMb('start') };
    let done = 0;
    const began = performance.now();
    for (const checkpoint of checkpoints) {
      await runConcurrently(checkpoint - done, concurrency, one);
      done = checkpoint;
      // Past the TTL (1 s) and the store's next sweep (every 1 s): what is left is what the task count left behind.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      rss[checkpoint] = rssMb(String(checkpoint));
    }
    const elapsedMs = performance.now() - began;
    await close();
    printResult({ which, n: done, elapsedMs, perSecond: (done / elapsedMs) * 1000, rssMb: rss, heapUsedMb: heap });
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
