import { writeFileSync } from 'node:fs';
import { RedisServer } from './redis-server';
import { SHARED_REDIS_ENV, SHARED_REDIS_FILE, SharedRedisInfo } from './shared-redis';

/** Where global-teardown finds the server (jest runs both in the same process). */
export const SHARED_REDIS_GLOBAL = '__AU_SHARED_REDIS__';

/**
 * jest globalSetup of the e2e project: starts one shared redis-server and publishes
 * its URL in `process.env.AU_TEST_REDIS_URL` (inherited by jest workers) and in a
 * file under os.tmpdir().
 */
export default async function globalSetup(): Promise<void> {
  const server = await RedisServer.start();
  (globalThis as Record<string, unknown>)[SHARED_REDIS_GLOBAL] = server;
  process.env[SHARED_REDIS_ENV] = server.url;
  const info: SharedRedisInfo = { url: server.url, port: server.port, dir: server.dir, ownerPid: process.pid };
  writeFileSync(SHARED_REDIS_FILE, JSON.stringify(info));
}
