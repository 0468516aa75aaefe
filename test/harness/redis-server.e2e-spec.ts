import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { REDIS_NOT_FOUND, RedisServer } from './redis-server';
import { sharedRedisUrl } from './shared-redis';

/** Runs `fn` with a short-lived client on `url`, always disconnecting it. */
async function withClient<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('RedisServer harness', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.destroy()));
  });

  it('the shared server from global-setup is reachable through AU_TEST_REDIS_URL', async () => {
    const url = sharedRedisUrl();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('redis://127.0.0.1:6379');
    await expect(withClient(url, (c) => c.ping())).resolves.toBe('PONG');
  });

  it('starts a real server on a free port and serves SET/GET', async () => {
    const server = await RedisServer.start();
    servers.push(server);
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.dir).toContain('au-redis-');
    await withClient(server.url, async (c) => {
      await c.set('harness:key', 'value');
      expect(await c.get('harness:key')).toBe('value');
    });
  });

  it('keeps data across restart() when appendonly is on', async () => {
    const server = await RedisServer.start({ appendonly: true });
    servers.push(server);
    const firstPid = server.pid;
    await withClient(server.url, (c) => c.set('aof:key', 'kept'));
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    await expect(withClient(server.url, (c) => c.get('aof:key'))).resolves.toBe('kept');
  });

  it('loses data across restart() when appendonly is off (no RDB save either)', async () => {
    const server = await RedisServer.start();
    servers.push(server);
    await withClient(server.url, (c) => c.set('volatile:key', 'gone'));
    await server.restart();
    await expect(withClient(server.url, (c) => c.get('volatile:key'))).resolves.toBeNull();
  });

  it('destroy() stops the process and removes the dir', async () => {
    const server = await RedisServer.start({ appendonly: true });
    const pid = server.pid as number;
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(server.dir)).toBe(true);
    await server.destroy();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    expect(server.pid).toBeNull();
  });

  it('fails fast with the redis log when the port is already taken', async () => {
    const taken = servers[0];
    await expect(RedisServer.start({ port: taken.port })).rejects.toThrow(/did not answer PING[\s\S]*redis\.log/);
  });

  it('throws the install command when redis-server is missing', async () => {
    let isolated: typeof import('./redis-server') | undefined;
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({ ...jest.requireActual('node:fs'), existsSync: () => false }));
      isolated = require('./redis-server');
    });
    jest.dontMock('node:fs');
    await expect(isolated!.RedisServer.start()).rejects.toThrow(REDIS_NOT_FOUND);
    expect(REDIS_NOT_FOUND).toBe(
      "redis-server not found: run 'apt-get install -y redis-server' (or 'bash scripts/ensure-deps.sh')",
    );
  });
});
