import { readFileSync, rmSync } from 'node:fs';
import { SHARED_REDIS_GLOBAL } from './global-setup';
import { RedisServer } from './redis-server';
import { SHARED_REDIS_ENV, SHARED_REDIS_FILE, SharedRedisInfo } from './shared-redis';

/** Removes the URL file only if this process wrote it (another jest run may own it now). */
function removeOwnFile(): void {
  try {
    const info = JSON.parse(readFileSync(SHARED_REDIS_FILE, 'utf8')) as SharedRedisInfo;
    if (info.ownerPid === process.pid) rmSync(SHARED_REDIS_FILE, { force: true });
  } catch {
    // already gone or unreadable: nothing of ours to remove
  }
}

/** jest globalTeardown of the e2e project: stops the shared redis-server and removes its dir. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const server = holder[SHARED_REDIS_GLOBAL] as RedisServer | undefined;
  delete holder[SHARED_REDIS_GLOBAL];
  delete process.env[SHARED_REDIS_ENV];
  removeOwnFile();
  await server?.destroy();
}
