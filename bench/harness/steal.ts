import { readFileSync } from 'node:fs';

/** The machine's CPU time so far (all CPUs, /proc/stat ticks): in all, and what the hypervisor took (steal). */
export interface CpuTicks {
  total: number;
  steal: number;
}

/** A reading of /proc/stat; undefined where there is none (not Linux). */
export function cpuTicks(): CpuTicks | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Steal between two readings as a share of the CPU time that passed (0..1): on a VM, time the host gave to others
 * while this one wanted to run. A round with much of it ran on a slower machine than its neighbours.
 */
export function stealShare(before: CpuTicks | undefined, after: CpuTicks | undefined = cpuTicks()): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}

/** ` steal 12%` for a log line, or nothing where it cannot be read. */
export function stealNote(before: CpuTicks | undefined): string {
  const share = stealShare(before);
  return share === undefined ? '' : `, steal ${Math.round(share * 100)}%`;
}
