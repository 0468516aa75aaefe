import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Env var holding the URL of the e2e run's shared redis-server (set by global-setup). */
export const SHARED_REDIS_ENV = 'AU_TEST_REDIS_URL';

/** File under os.tmpdir() where global-setup also writes `{ url, port, dir, pid }`. */
export const SHARED_REDIS_FILE = join(tmpdir(), 'au-test-redis.json');

/** What global-setup writes to {@link SHARED_REDIS_FILE}. */
export interface SharedRedisInfo {
  url: string;
  port: number;
  dir: string;
  /** Pid of the jest process that owns the server. */
  ownerPid: number;
}

/**
 * URL of the shared redis-server of this e2e run: `process.env.AU_TEST_REDIS_URL`
 * (jest workers inherit it from global-setup), else the file global-setup wrote.
 * Tests that restart, stop or need AOF must start their own RedisServer instead.
 */
export function sharedRedisUrl(): string {
  const fromEnv = process.env[SHARED_REDIS_ENV];
  if (fromEnv) return fromEnv;
  try {
    return (JSON.parse(readFileSync(SHARED_REDIS_FILE, 'utf8')) as SharedRedisInfo).url;
  } catch {
    throw new Error(`${SHARED_REDIS_ENV} is not set: run e2e specs through jest's e2e project (test/harness/global-setup.ts)`);
  }
}
