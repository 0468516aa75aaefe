import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { NodeProcess } from './node-process';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

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
  private constructor(
    readonly process: NodeProcess,
    readonly port: number | undefined,
  ) {}

  get child(): ChildProcess {
    return this.process.child;
  }

  get lines(): string[] {
    return this.process.lines;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start({ role, redisUrl, prefix, env = {} }: AppProcessOptions): Promise<AppProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
    const port = role === 'worker' ? undefined : await freePort();
    const proc = NodeProcess.start(MAIN, [], {
      AU_BACKEND: 'bull',
      AU_ROLE: role,
      AU_REDIS_URL: redisUrl,
      AU_PREFIX: prefix,
      AU_STALLED_INTERVAL_MS: '1000',
      AU_LOCK_DURATION_MS: '2000',
      ...(port ? { PORT: String(port) } : {}),
      ...env,
    });
    const app = new AppProcess(proc, port);
    await app.waitForLine(role === 'worker' ? /au worker started/ : /listening on/, 20_000);
    return app;
  }

  /** Resolves when a log line matches, rejects after `timeoutMs` or if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.process.waitForLine(pattern, timeoutMs);
  }

  /** Sends `signal` and waits for the exit (see NodeProcess.stop). */
  stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | string | null> {
    return this.process.stop(signal, timeoutMs);
  }
}
