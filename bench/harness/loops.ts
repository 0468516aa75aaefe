/**
 * Runs `total` calls of `one` with `concurrency` callers in flight (each starts the next call when its last ends) and
 * resolves with the elapsed milliseconds.
 */
export async function runConcurrently(total: number, concurrency: number, one: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const began = performance.now();
  const caller = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, caller));
  return performance.now() - began;
}

/** The contenders in the order they run in round `round` (0-based): each round starts one later than the last. */
export function turnOrder<T>(contenders: readonly T[], round: number): T[] {
  const shift = round % contenders.length;
  return [...contenders.slice(shift), ...contenders.slice(0, shift)];
}
