/** Injection tokens and metadata keys of au, all internal. */

/** Raw options as the app passed them to `forRoot`/`forRootAsync` (before env and defaults). */
export const AU_MODULE_OPTIONS = 'AU:MODULE_OPTIONS';
/** The resolved (env-merged, defaulted) options. */
export const AU_OPTIONS = 'AU:OPTIONS';
/** Definitions read from the classes listed in `forRoot({ tasks })`. */
export const TASK_DEFINITIONS = 'AU:TASK_DEFINITIONS';
/** The Bull queues of the tasks, by task name (Bull backend). */
export const AU_QUEUES = 'AU:QUEUES';
/** The ioredis connection au and Bull share for commands (Bull backend). */
export const AU_REDIS_CLIENT = 'AU:REDIS_CLIENT';
/** The ioredis connection au uses for pub/sub (Bull backend). */
export const AU_REDIS_SUBSCRIBER = 'AU:REDIS_SUBSCRIBER';
/** The bull-board request handler the dashboard controller serves. */
export const DASHBOARD_HANDLER = 'AU:DASHBOARD_HANDLER';
/** Metadata key written by `@AsyncTask()` on a method. */
export const AU_TASK_METADATA = 'AU:TASK';
