/**
 * Not part of `npm run bench`: a probe of the Node runtime alone (no au, no Nest), for the RSS question of
 * bench/README.md. Objects that outlive a scavenge and die in the old generation (records kept ~1 s by a timer, as a
 * store with a short TTL keeps them), 64 callers at a time; RSS and V8's committed heap (`heapTotal`) after a full GC
 * at each checkpoint. On Node 20 RSS stays flat; on Node 22, 24 and 26 it keeps rising while `heapTotal` does not,
 * up to a ceiling that `--max-old-space-size` lowers.
 *
 *   npx tsc -p bench/tsconfig.json && node --expose-gc .bench-dist/bench/probes/rss-churn.js [checkpoints]
 *
 * (checkpoints: comma-separated counts, default 100000,250000,500000,1000000.)
 */
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with node --expose-gc');
const collect = exposedGc;

const kept = new Map<string, object>();
let next = 0;

async function one(): Promise<void> {
  const id = `task-${++next}`;
  const record = { id, status: 'pending', createdAt: new Date(), values: new Array(20).fill(next) };
  kept.set(id, record);
  await new Promise((resolve) => setImmediate(resolve));
  Object.assign(record, { status: 'completed', json: JSON.stringify(record) });
  setTimeout(() => kept.delete(id), 1000);
}

async function run(n: number): Promise<void> {
  let started = 0;
  const caller = async () => {
    while (started++ < n) await one();
  };
  await Promise.all(Array.from({ length: 64 }, caller));
}

function memory(): string {
  collect();
  collect();
  const { rss, heapTotal } = process.memoryUsage();
  return `rss ${Math.round(rss / 2 ** 20)} MB, heapTotal ${Math.round(heapTotal / 2 ** 20)} MB`;
}

async function main(): Promise<void> {
  const checkpoints = (process.argv[2] ?? '100000,250000,500000,1000000').split(',').map(Number);
  console.log(`Node ${process.version}; start: ${memory()}`);
  let done = 0;
  for (const checkpoint of checkpoints) {
    await run(checkpoint - done);
    done = checkpoint;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    console.log(`${checkpoint.toLocaleString('en-US')} done: ${memory()}`);
  }
}

void main();

export {};
