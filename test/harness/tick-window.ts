/** A record as `GET /tasks` lists it, as far as counting ticks goes. */
interface Listed {
  createdAt: string;
  status: string;
}

/**
 * Counts the runs of a schedule over a window of `windowMs` that starts at its first run: waits (polling the list,
 * bounded) until a run created after the window exists, so the window is complete, then counts the runs inside it
 * and the shortest gap between two runs (two runs of one tick would show as a gap near 0).
 */
export async function countTicks(
  list: () => Promise<Listed[]>,
  windowMs: number,
  timeoutMs = windowMs + 15_000,
): Promise<{ runs: number; minGapMs: number; statuses: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const times = (await list()).map((r) => ({ at: Date.parse(r.createdAt), status: r.status })).sort((a, b) => a.at - b.at);
    if (times.length > 0 && times[times.length - 1].at >= times[0].at + windowMs) {
      const inside = times.filter((r) => r.at < times[0].at + windowMs);
      const gaps = inside.slice(1).map((r, i) => r.at - inside[i].at);
      return { runs: inside.length, minGapMs: Math.min(...gaps), statuses: inside.map((r) => r.status) };
    }
    if (Date.now() > deadline) throw new Error(`timed out counting ticks: ${times.length} run(s) so far`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
