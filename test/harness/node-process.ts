import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/**
 * A Node script in a child process with its output kept line by line (readiness lines, logs to assert on, results),
 * killed if this process exits first. Used by the e2e harness (AppProcess) and by bench/.
 */
export class NodeProcess {
  readonly lines: string[] = [];
  private readonly exited: Promise<number | string | null>;

  private constructor(readonly child: ChildProcess) {
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve(code ?? signal);
      }),
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
      });
    }
  }

  /** `node [nodeArgs] script [args]` with only PATH, NO_COLOR and `env` in its environment. */
  static start(script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): NodeProcess {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new NodeProcess(child);
  }

  /** Resolves when a line matches, rejects after `timeoutMs` or if the process exits first. */
  async waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no line matching ${pattern} (exit ${this.child.exitCode}):\n${this.lines.slice(-30).join('\n')}`);
  }

  /** Resolves once the process exited with 0; rejects with its last lines otherwise. */
  async done(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`process exited with ${code}:\n${this.lines.slice(-40).join('\n')}`);
  }

  /** Resolves with the exit code (or signal name) once the process ends by itself; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs = 10_000): Promise<number | string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${this.lines.slice(-30).join('\n')}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). Resolves with the exit code, or the signal's
   * name when it died of one (Nest re-raises SIGTERM after a graceful shutdown).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | string | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** CPU time (user + system) this process has used so far, in microseconds, from /proc (Linux). */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  }
}
