import { readFileSync } from 'node:fs';
import { config } from '../config';

const TRIES = 3;

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

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * Runs `measure` again (up to three tries in all) while the hypervisor took more than `config.maxSteal` of the CPU
 * time during it: such a measurement ran on a slower machine than the one it is paired with. The last try counts,
 * whatever its steal. `note` is for the log line: `steal 3%` (and the steal of the tries before), or '' off Linux.
 */
export async function measureWithLowSteal<T>(measure: () => Promise<T>): Promise<{ result: T; note: string }> {
  const high: string[] = [];
  for (let tries = 1; ; tries++) {
    const before = cpuTicks();
    const result = await measure();
    const steal = stealShare(before);
    if (steal === undefined) return { result, note: '' };
    if (steal <= config.maxSteal || tries === TRIES) {
      const again = high.length ? `; measured again after steal ${high.join(', ')}` : '';
      return { result, note: `steal ${percent(steal)}${again}` };
    }
    high.push(percent(steal));
  }
}
