import { spawn } from 'node:child_process';

export interface CommandOptions {
  cwd: string;
  /** Added to the environment (after npm's own `npm_*` variables of an outer `npm test` are removed). */
  env?: Record<string, string>;
  /** Killed (SIGKILL) and rejected after this long. Default 5 minutes. */
  timeoutMs?: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command to its end (`npm install`, `tsc`) and resolves with its output and duration; rejects with the tail
 * of its output when it exits non-zero or runs out of time, and says which tool is missing when it is not on PATH.
 */
export function runCommand(command: string, args: string[], { cwd, env = {}, timeoutMs = 300_000 }: CommandOptions): Promise<CommandResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const started = Date.now();
  const line = `${command} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(error.code === 'ENOENT' ? `${command} not found on PATH (needed for '${line}')` : `${line}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (code === 0) return resolve({ stdout, stderr, ms });
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
      const why = signal === 'SIGKILL' && ms >= timeoutMs ? `ran out of ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`'${line}' in ${cwd} ${why}:\n${tail}`));
    });
  });
}
