import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** Turn the append-only file on (with `appendfsync always`). Default false. */
  appendonly?: boolean;
  /** Port on 127.0.0.1; a free one is picked when absent. */
  port?: number;
  /** Data directory; a fresh `au-redis-*` temp dir is created when absent. */
  dir?: string;
}

/** The exact error message thrown when the binary is missing: it is the fix. */
export const REDIS_NOT_FOUND =
  "redis-server not found: run 'apt-get install -y redis-server' (or 'bash scripts/ensure-deps.sh')";

const DEFAULT_BIN = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;

/** Every redis-server this module spawned that has not exited yet → temp dir it owns (or null). */
const liveChildren = new Map<ChildProcess, string | null>();

/**
 * Jest hands each test file a *copy* of `process` whose 'exit' event never fires,
 * so the leak guard must hang on the host's real `process`. A core module lives in
 * the host realm; its Function constructor evaluates `process` there.
 */
function hostProcess(): NodeJS.Process {
  const HostFunction = EventEmitter.constructor as FunctionConstructor;
  return HostFunction('return process')() as NodeJS.Process;
}

/** Leak guard: a server a test forgot to stop dies with the jest process, with its temp dir. */
hostProcess().once('exit', () => {
  for (const [child, ownedDir] of liveChildren) {
    child.kill('SIGKILL');
    if (ownedDir) rmSync(ownedDir, { recursive: true, force: true });
  }
});

/** Path of the redis-server binary, or throws {@link REDIS_NOT_FOUND}. */
export function findRedisServer(): string {
  if (existsSync(DEFAULT_BIN)) return DEFAULT_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  throw new Error(REDIS_NOT_FOUND);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once `child` has exited, false after `ms`. */
function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Asks 127.0.0.1:port for PING and the server's pid; null when it does not answer. */
async function probe(port: number): Promise<number | null> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
    disconnectTimeout: 20, // default 2 s timer would outlive a refused probe and delay exit
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') return null;
    const match = /process_id:(\d+)/.exec(await client.info('server'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // refused, or -LOADING while the AOF is read back
  } finally {
    client.disconnect();
  }
}

/** A real, throw-away redis-server on 127.0.0.1 for tests. */
export class RedisServer {
  private child: ChildProcess | null = null;

  private constructor(
    /** TCP port on 127.0.0.1. */
    readonly port: number,
    /** Data directory (AOF, redis.log). */
    readonly dir: string,
    private readonly appendonly: boolean,
    /** True when start() created the dir (the exit guard may then remove it). */
    private readonly ownsDir: boolean,
  ) {}

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Pid of the running server, or null when stopped. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /**
   * Spawns a redis-server and resolves once it answers PING (bounded, ~5 s).
   * @throws Error({@link REDIS_NOT_FOUND}) when the binary is missing.
   */
  static async start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    findRedisServer();
    const port = opts.port ?? (await freePort());
    const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'au-redis-')));
    const server = new RedisServer(port, dir, opts.appendonly ?? false, !opts.dir);
    try {
      await server.spawn();
    } catch (err) {
      if (server.ownsDir) await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return server;
  }

  /** SIGTERM, wait for exit (bounded), SIGKILL as a fallback. Keeps the dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    }
    liveChildren.delete(child);
  }

  /** Stops and starts again on the same port and dir (AOF is read back when on). */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  /** Stops the server and removes its dir (rm -rf). */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private args(): string[] {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', this.appendonly ? 'yes' : 'no');
    if (this.appendonly) args.push('--appendfsync', 'always');
    args.push('--daemonize', 'no', '--protected-mode', 'no', '--logfile', join(this.dir, 'redis.log'));
    return args;
  }

  private async spawn(): Promise<void> {
    const child = spawn(findRedisServer(), this.args(), { stdio: 'ignore' });
    let spawnError: Error | null = null;
    child.once('error', (err) => (spawnError = err));
    child.once('exit', () => liveChildren.delete(child));
    child.unref(); // a leaked server must not keep jest alive; the 'exit' guard kills it
    liveChildren.set(child, this.ownsDir ? this.dir : null);
    this.child = child;

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
      if ((await probe(this.port)) === child.pid) return;
      await sleep(50);
    }
    await this.stop();
    if ((spawnError as NodeJS.ErrnoException | null)?.code === 'ENOENT') throw new Error(REDIS_NOT_FOUND);
    const log = await readFile(join(this.dir, 'redis.log'), 'utf8').catch(() => '');
    throw new Error(
      `redis-server on port ${this.port} did not answer PING within ${READY_TIMEOUT_MS} ms` +
        (spawnError ? ` (${String(spawnError)})` : '') +
        `; tail of ${this.dir}/redis.log:\n${log.split('\n').slice(-15).join('\n')}`,
    );
  }
}
