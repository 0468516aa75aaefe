import { NodeProcess } from '../../test/harness/node-process';

export { NodeProcess };

/** Runs a runner script to completion and returns the JSON it printed on its `BENCH_RESULT` line. */
export async function runForResult<T>(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<T> {
  const proc = NodeProcess.start(script, args, env, nodeArgs);
  await proc.done();
  const line = proc.lines.find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`no BENCH_RESULT line from ${script}:\n${proc.lines.slice(-30).join('\n')}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
}

/** What a runner prints for the orchestrator. */
export function printResult(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}
