import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The script behind an npm package's command (`bin`), from this project's node_modules: the third-party tools the
 * e2e suites run (Redocly CLI, Prism, openapi-typescript) are pinned devDependencies. Throws, naming the fix, when
 * the package is missing: a suite that needs a tool fails rather than skips.
 */
export function npmToolScript(pkg: string, command: string): string {
  const manifestPath = join(ROOT, 'node_modules', pkg, 'package.json');
  if (!existsSync(manifestPath)) throw new Error(`${pkg} is missing from node_modules: run 'npm ci' (it is a pinned devDependency)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[command];
  if (!bin) throw new Error(`${pkg} has no '${command}' command in its package.json`);
  const script = join(dirname(manifestPath), bin);
  if (!existsSync(script)) throw new Error(`${script} is missing: run 'npm ci'`);
  return script;
}

/** The project's root, where node_modules is. */
export const PROJECT_ROOT = ROOT;

export interface ToolRun {
  /** Exit code (null when killed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Node script to its end (bounded by `timeoutMs`) with only PATH, HOME, NO_COLOR and `env` in its
 * environment; resolves with its exit code and output whatever the code (rejects only when it cannot start).
 */
export function runNodeScript(script: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ToolRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number' && !error.killed) return reject(error);
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}
