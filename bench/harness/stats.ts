/** Median of the figures (mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of the samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Median of the per-round quotients au[i] / bare[i]. Each round measures au and bare back to back, so on a machine
 * whose speed drifts during the run (seen on these 2-core VMs) this compares like with like better than the quotient
 * of the two medians.
 */
export function pairedRatio(au: number[], bare: number[]): number {
  return median(au.map((value, i) => value / bare[i]));
}
