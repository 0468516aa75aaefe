import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));

export interface AppProcessOptions {
  role: 'api' | 'worker' | 'all';
  redisUrl: string;
  prefix: string;
  env?: Record<string, string>;
}

/**
 * The reference app (`node dist/src/main.js`, as `npm run start:prod` runs it) in a child process, with its log lines
 * kept for assertions. `npm test` builds dist/ first.
 */
export class AppProcess {
  readonly lines: string[] = [];
  private exited?: Promise<number | string | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number | undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start({ role, redisUrl, prefix, env = {} }: AppProcessOptions): Promise<AppProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
    const port = role === 'worker' ? undefined : await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        AU_BACKEND: 'bull',
        AU_ROLE: role,
        AU_REDIS_URL: redisUrl,
        AU_PREFIX: prefix,
        AU_STALLED_INTERVAL_MS: '1000',
        AU_LOCK_DURATION_MS: '2000',
        ...(port ? { PORT: String(port) } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const app = new AppProcess(child, port);
    app.exited = new Promise((resolve) =>
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
        app.lines.push(...parts);
      });
    }
    await app.waitForLine(role === 'worker' ? /au worker started/ : /listening on/, 20_000);
    return app;
  }

  /** Resolves when a log line matches, rejects after `timeoutMs` or if the process exits first. */
  async waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line matching ${pattern} (exit ${this.child.exitCode}):\n${this.lines.slice(-30).join('\n')}`);
  }

  /**
   * Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). Resolves with the exit code, or the signal's
   * name when it died of one (Nest re-raises SIGTERM after a graceful shutdown).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | string | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited!;
    } finally {
      clearTimeout(timer);
    }
  }
}
