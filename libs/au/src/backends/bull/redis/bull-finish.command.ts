import type Redis from 'ioredis';
import { bull } from './bull-internals';

/** Where Bull's moveToFinished puts its `keepJobs` option among its keys and arguments: ARGV[6], after its 9 keys. */
const KEEP_JOBS_ARG = 9 + 5;
/** The name au's version of the script is defined under; `moveToFinished` on the client calls it. */
const AU_COMMAND = 'auMoveToFinished' as const;

type FinishCommand = (this: Redis, keysAndArgs: unknown[]) => Promise<unknown>;

/** The client as ioredis' `defineCommand` leaves it: each script a method, and the scripts by name. */
interface ScriptedClient {
  scriptsSet: Record<string, unknown>;
  [AU_COMMAND]?: FinishCommand;
  moveToFinished?: FinishCommand;
}

/**
 * Bull's moveToFinished (how every attempt ends: completed, failed, or retried) defined on `client` before Bull loads
 * its own, which it then leaves alone, so that its arguments carry no Buffer. Bull packs the `keepJobs` option
 * (`{ count: -1 }` for au's jobs) with msgpack into a Buffer, and a single Buffer among a command's arguments makes
 * ioredis build the whole command as buffers. Here the Buffer goes as its hex text and the script, Bull's own source,
 * turns it back into the same bytes first. Works in a MULTI too (Bull's moveToFailed), which copies the client's
 * scripts by name.
 */
export function defineBullFinishAsText(client: Redis): void {
  const commands = client as unknown as ScriptedClient;
  if (commands[AU_COMMAND]) return;
  client.defineCommand(AU_COMMAND, { numberOfKeys: 9, lua: `${HEX_TO_BYTES}\n${bull().moveToFinishedLua}` });
  const run = commands[AU_COMMAND]!;
  commands.moveToFinished = function (this: Redis, keysAndArgs: unknown[]) {
    const keepJobs = keysAndArgs[KEEP_JOBS_ARG];
    keysAndArgs[KEEP_JOBS_ARG] = (Buffer.isBuffer(keepJobs) ? keepJobs : Buffer.from(String(keepJobs))).toString('hex');
    return run.call(this, keysAndArgs);
  };
  // A pipeline takes the client's scripts by their names in this set: Bull's `multi.moveToFinished` finds it there.
  commands.scriptsSet.moveToFinished = commands.scriptsSet[AU_COMMAND];
}

/** ARGV[6] from hex text back to the bytes Bull packed. */
const HEX_TO_BYTES = `ARGV[6] = (string.gsub(ARGV[6], '..', function (hex) return string.char(tonumber(hex, 16)) end))`;
