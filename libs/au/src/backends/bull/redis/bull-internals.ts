import type { JobOptions, Queue } from 'bull';

/** A job as Bull's `addJob` takes it (`Job#toData()`): data and options as JSON text, among others. */
export interface BullJobData {
  opts: string;
}

/** The parts of Bull's own code au adds jobs with (bull/lib), typed as au uses them. */
export interface BullInternals {
  /** Bull's Job class, which fills in the option defaults (`new Job(queue, data, opts)`). */
  Job: new (queue: Queue, data: unknown, opts: JobOptions) => { toData(): BullJobData };
  /** Bull's script helpers: `addJob` builds addJob's KEYS and ARGV and calls `client.addJob` with them. */
  scripts: {
    addJob<T>(
      client: { addJob(keysAndArgs: unknown[]): Promise<T> },
      queue: Queue,
      jobData: BullJobData,
      opts: { customJobId?: string | number; lifo?: boolean; priority?: number },
    ): Promise<T>;
  };
  /** The source of Bull's addJob Lua script, as Bull loads it. */
  addJobLua: string;
  /** The source of Bull's moveToFinished Lua script, as Bull loads it. */
  moveToFinishedLua: string;
}

let loaded: BullInternals | undefined;

/**
 * Bull's internals, loaded once on first use. au runs Bull's own addJob and moveToFinished scripts (the first followed
 * by au's writes) rather than copies of them, so a job is added and finished exactly as Bull does it; the package pins
 * the Bull version this was written for.
 */
export function bull(): BullInternals {
  if (!loaded) {
    /* eslint-disable @typescript-eslint/no-require-imports -- internal modules of the Bull package, untyped */
    loaded = {
      Job: require('bull/lib/job'),
      scripts: require('bull/lib/scripts'),
      addJobLua: (require('bull/lib/scripts/addJob-6') as { content: string }).content,
      moveToFinishedLua: (require('bull/lib/scripts/moveToFinished-9') as { content: string }).content,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return loaded;
}
