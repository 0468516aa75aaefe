/**
 * A small program a user of the reference app would write with openapi-fetch, over the types openapi-typescript
 * generates from the app's document (`./au-api`). No casts: it type-checks under `strict` only if the document types
 * factorial's `?wait` result as a string, sleep's as its output class and `progress` as a number. Run with AU_URL.
 */
const HEAD = `
import createClient from 'openapi-fetch';
import type { paths } from './au-api';

/** true when T is any, which would let every assignment below through. */
type IsAny<T> = 0 extends 1 & T ? true : false;

const client = createClient<paths>({ baseUrl: process.env.AU_URL });

async function main(): Promise<void> {
  const factorial = await client.POST('/tasks/factorial', { params: { query: { wait: 10 } }, body: { n: 20 } });
  if (!factorial.data || !('result' in factorial.data)) throw new Error(\`factorial did not finish: \${factorial.response.status}\`);
  const { result, progress } = factorial.data;
  if (result === null) throw new Error(\`factorial ended \${factorial.data.status}\`);
  const resultIsAny: IsAny<typeof result> = false;
  const progressIsAny: IsAny<typeof progress> = false;
`;

const TAIL = `
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exitCode = 1;
});
`;

/** Reads factorial's result as a string, its progress as a number and sleep's result as SleepResultDto. */
export const TYPED_CLIENT = `${HEAD}
  const digits: string = result;
  const percent: number = progress;
  const sleep = await client.POST('/tasks/sleep', { params: { query: { wait: 10 } }, body: { ms: 20 } });
  if (!sleep.data || !('result' in sleep.data) || sleep.data.result === null) throw new Error('sleep did not complete');
  const slept: number = sleep.data.result.slept;
  const sleptPercent: number = sleep.data.progress;
  process.stdout.write(JSON.stringify({ digits, length: digits.length, progress: [percent, sleptPercent], slept }));
${TAIL}`;

/** Misreads them: must not type-check, one error each. */
export const BROKEN_CLIENT = `${HEAD}
  const digits: number = result;
  const percent: string = progress;
  const slept = result.slept;
  process.stdout.write(JSON.stringify({ digits, percent, slept }));
${TAIL}`;
