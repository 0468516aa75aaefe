import Queue from 'bull';
import { BullCompletions } from '../bare/bull-completions';
import { WORKER_CONCURRENCY } from '../config';
import { runConcurrently } from '../harness/loops';
import { printResult } from '../harness/node-process';
import { startAu } from './au-app';

/**
 * Row 2, one round in a fresh process: `n` no-op tasks end to end (submit, worker runs it, caller gets the result)
 * on Bull, producer and worker in this process. `au`: TaskService.submit + handle.result(); `bare`: Bull's
 * queue.add + completion on the queue's 'completed' event (bare/bull-completions.ts) with queue.process(50);
 * `features`: bare with the request id carried through the job into a nestjs-cls context around the job's function,
 * as au's worker does (a hand-written equivalent of that feature, nestjs-cls loaded as in au's rounds).
 * Args: au|bare|features redisUrl prefix n submitConcurrency warmup.
 */
async function main(): Promise<void> {
  const [which, redis, prefix, nRaw, concurrencyRaw, warmupRaw] = process.argv.slice(2);
  const n = Number(nRaw);
  const concurrency = Number(concurrencyRaw);
  const warmup = Number(warmupRaw);
  let one: () => Promise<unknown>;
  let close: () => Promise<unknown>;

  if (which === 'au') {
    const { tasks, app } = await startAu({ backend: 'bull', role: 'all', redis, prefix });
    one = async () => (await tasks.submit('noop', {})).result();
    close = () => app.close();
  } else {
    const queue = new Queue('noop', redis, { prefix });
    const completions = new BullCompletions(queue);
    if (which === 'features') {
      const { ClsServiceManager, CLS_ID } = await import('nestjs-cls');
      const cls = ClsServiceManager.getClsService();
      void queue.process(WORKER_CONCURRENCY, async (job: Queue.Job<{ requestId?: string }>) =>
        cls.runWith({}, () => {
          if (job.data.requestId !== undefined) cls.set(CLS_ID, job.data.requestId);
          return null;
        }),
      );
      one = async () => {
        const requestId = cls.isActive() ? cls.getId() : undefined;
        return completions.wait((await queue.add({ input: {}, requestId })).id);
      };
    } else {
      void queue.process(WORKER_CONCURRENCY, async () => null);
      one = async () => completions.wait((await queue.add({})).id);
    }
    await queue.isReady();
    close = () => queue.close();
  }

  await runConcurrently(warmup, concurrency, one);
  const cpu = process.cpuUsage();
  const elapsedMs = await runConcurrently(n, concurrency, one);
  const { user, system } = process.cpuUsage(cpu);
  await close();
  printResult({ which, n, elapsedMs, perSecond: (n / elapsedMs) * 1000, cpuMicrosPerTask: (user + system) / n });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
