import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/** A Node child process with its output kept (for readiness lines, errors and result lines). */
export class NodeProcess {
  readonly lines: string[] = [];
  private readonly exited: Promise<number | string | null>;

  /** CPU time (user + system) this process has used so far, in microseconds, from /proc (Linux). */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  }

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

  static start(script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): NodeProcess {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new NodeProcess(child);
  }

  async waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no line matching ${pattern} (exit ${this.child.exitCode}):\n${this.lines.slice(-30).join('\n')}`);
  }

  /** Resolves with the exit code; rejects if it is not 0. */
  async done(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`process exited with ${code}:\n${this.lines.slice(-40).join('\n')}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Runs a runner script to completion and returns the JSON it printed on its `BENCH_RESULT` line. */
export async function runForResult<T>(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<T> {
  const proc = NodeProcess.start(script, args, env, nodeArgs);
  await proc.done();
  const line = proc.lines.find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`no BENCH_RESULT line from ${script}:\n${proc.lines.slice(-30).join('\n')}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
}

/** What a runner prints for the orchestrator. */
export function printResult(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}
