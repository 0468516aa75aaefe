import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';

const BIN = '/usr/bin/redis-server';

/** A throw-away redis-server on 127.0.0.1, a free port and a temp dir, no persistence (as test/harness does). */
export class BenchRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<BenchRedis> {
    const bin = existsSync(BIN) ? BIN : 'redis-server';
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'au-bench-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    args.push('--daemonize', 'no', '--protected-mode', 'no', '--logfile', join(dir, 'redis.log'));
    const child = spawn(bin, args, { stdio: 'ignore' });
    process.on('exit', () => child.kill('SIGKILL'));
    const server = new BenchRedis(child, port, dir);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (await server.ping()) return server;
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.stop();
    throw new Error(`redis-server on port ${port} did not start (is /usr/bin/redis-server installed? see scripts/ensure-deps.sh)`);
  }

  /** A short-lived client for one command. */
  async command<T>(run: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      return await run(client);
    } finally {
      client.disconnect();
    }
  }

  /** Empties Redis between rounds, so every round starts from the same state. */
  flush(): Promise<unknown> {
    return this.command((c) => c.flushall());
  }

  async version(): Promise<string> {
    const info = await this.command((c) => c.info('server'));
    return /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
