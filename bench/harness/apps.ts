import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import type { BareRole } from '../bare/bare.module';
import { NodeProcess } from './node-process';

/** The repository root (this file runs from .bench-dist/bench/harness). */
export const ROOT = resolve(__dirname, '..', '..', '..');
/** The compiled bench/ directory. */
export const BENCH_DIST = resolve(__dirname, '..');

const AU_MAIN = join(ROOT, 'dist', 'src', 'main.js');
const BARE_MAIN = join(BENCH_DIST, 'bare', 'main.js');

export interface HttpApp {
  name: 'au' | 'bare' | 'features';
  url: string;
  process: NodeProcess;
}

/** The au reference app as `npm run start:prod` runs it, on the Bull backend. */
export async function startAuApp(role: 'api' | 'all', redisUrl: string, prefix: string): Promise<HttpApp> {
  if (!existsSync(AU_MAIN)) throw new Error(`${AU_MAIN} is missing: run 'npm run build' (npm run bench does)`);
  const port = await freePort();
  const proc = NodeProcess.start(AU_MAIN, [], {
    AU_BACKEND: 'bull',
    AU_ROLE: role,
    AU_REDIS_URL: redisUrl,
    AU_PREFIX: prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  await proc.waitForLine(/listening on/);
  return { name: 'au', url: `http://127.0.0.1:${port}`, process: proc };
}

/** The bare Nest + @nestjs/bull app (bench/bare), same Redis; the `features` roles are named `features`. */
export async function startBareApp(role: BareRole, redisUrl: string, prefix: string): Promise<HttpApp> {
  const port = await freePort();
  const proc = NodeProcess.start(BARE_MAIN, [], { BARE_ROLE: role, BARE_REDIS_URL: redisUrl, BARE_PREFIX: prefix, PORT: String(port) });
  await proc.waitForLine(/listening on/);
  return { name: role === 'features' || role === 'features-all' ? 'features' : 'bare', url: `http://127.0.0.1:${port}`, process: proc };
}
