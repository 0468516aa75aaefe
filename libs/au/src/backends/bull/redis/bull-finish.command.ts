import type Redis from 'ioredis';
import { bull } from './bull-internals';

/** Where Bull's moveToFinished puts its `keepJobs` option among its keys and arguments: ARGV[6], after its 9 keys. */
const KEEP_JOBS_ARG = 9 + 5;
/** The name au's version of the script is defined under; `moveToFinished` on the client calls it. */
const AU_COMMAND = 'auMoveToFinished' as const;
/** Bull's publish of a job's end, on its completed or failed channel, which au's routing follows. */
const BULL_PUBLISH = 'rcall("PUBLISH", targetSet, ARGV[7])';

type FinishCommand = (this: Redis, keysAndArgs: unknown[]) => Promise<unknown>;

/** The client as ioredis' `defineCommand` leaves it: each script a method, and the scripts by name. */
interface ScriptedClient {
  scriptsSet: Record<string, unknown>;
  [AU_COMMAND]?: FinishCommand;
  moveToFinished?: FinishCommand;
}

/**
 * Bull's moveToFinished (how every attempt ends: completed, failed, or retried) defined on `client` before Bull loads
 * its own, which it then leaves alone. Bull's own source, with two changes:
 * - Its `keepJobs` argument, which Bull packs with msgpack into a Buffer (`{ count: -1 }` for au's jobs), goes as hex
 *   text and the script turns it back into the same bytes first: a single Buffer among a command's arguments makes
 *   ioredis build the whole command as buffers.
 * - A job completed here that was submitted by another process (its `auOrigin` field) is also announced on that
 *   origin's channel, with Bull's own message: the submitter hears the tasks it created without hearing every task's
 *   end (see FinishMessages). `origin` is this process's; `originChannel` the channels' common start.
 * Works in a MULTI too (Bull's moveToFailed), which copies the client's scripts by name (a failure, announced on
 * Bull's failed channel as before).
 */
export function defineBullFinish(client: Redis, origin: string, originChannel: string): void {
  const commands = client as unknown as ScriptedClient;
  if (commands[AU_COMMAND]) return;
  const source = bull().moveToFinishedLua;
  if (!source.includes(BULL_PUBLISH)) {
    throw new Error(`au: Bull's moveToFinished no longer holds ${BULL_PUBLISH}; this Bull version is not supported`);
  }
  const lua = `${PRELUDE}\n${source.replace(BULL_PUBLISH, `${BULL_PUBLISH} auToOrigin()`)}`;
  client.defineCommand(AU_COMMAND, { numberOfKeys: 9, lua });
  const run = commands[AU_COMMAND]!;
  commands.moveToFinished = function (this: Redis, keysAndArgs: unknown[]) {
    const keepJobs = keysAndArgs[KEEP_JOBS_ARG];
    keysAndArgs[KEEP_JOBS_ARG] = (Buffer.isBuffer(keepJobs) ? keepJobs : Buffer.from(String(keepJobs))).toString('hex');
    return run.call(this, keysAndArgs.concat(origin, originChannel));
  };
  // A pipeline takes the client's scripts by their names in this set: Bull's `multi.moveToFinished` finds it there.
  commands.scriptsSet.moveToFinished = commands.scriptsSet[AU_COMMAND];
}

/**
 * Ahead of Bull's source: ARGV[6] from hex text back to the bytes Bull packed, and `auToOrigin`, called right after
 * Bull's publish. ARGV[13] and [14] (after Bull's 12) are the finishing process's origin and the origin channels'
 * start; ARGV[3] is `returnvalue` when the job completes. The origin is read before Bull's script runs, which may
 * delete the job.
 */
const PRELUDE = `
ARGV[6] = (string.gsub(ARGV[6], '..', function (hex) return string.char(tonumber(hex, 16)) end))
local auOrigin = ARGV[14] and ARGV[3] == 'returnvalue' and redis.call('HGET', KEYS[3], 'auOrigin')
local function auToOrigin()
  if auOrigin and auOrigin ~= ARGV[13] then redis.call('PUBLISH', ARGV[14] .. auOrigin, ARGV[7]) end
end`;
