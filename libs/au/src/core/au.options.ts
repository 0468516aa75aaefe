import type { ModuleMetadata } from '@nestjs/common';

export type AuBackendKind = 'memory' | 'bull';
export type AuRole = 'api' | 'worker' | 'all';

/**
 * Redis connection options, handed to ioredis as they are (its `RedisOptions`: `host`, `port`, `password`, `tls`,
 * `db`, ...). Declared here so that apps on the memory backend need no ioredis, not even for types.
 */
export interface AuRedisOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ioredis' own option types, whatever their shape
  [option: string]: any;
}

/** Runtime options of `AuModule.forRoot()` / `forRootAsync()`. Explicit values win over env vars. */
export interface AuModuleOptions {
  /** Redis connection (URL or ioredis options) for the Bull backend. Env: `AU_REDIS_URL`. */
  redis?: string | AuRedisOptions;
  /** Key prefix of queues and records in Redis. Env: `AU_PREFIX`, default `au`. */
  prefix?: string;
  /** Seconds a finished task's record and result are kept. Env: `AU_RESULT_TTL`, default 3600. */
  resultTtlSeconds?: number;
  /** Largest accepted request body, in bytes. Env: `AU_MAX_BODY`, default 1 MB. */
  maxBodyBytes?: number;
  /** How long shutdown waits for running tasks, in ms. Env: `AU_SHUTDOWN_TIMEOUT_MS`, default 10000. */
  shutdownTimeoutMs?: number;
  /** Bull stalled-job check interval, ms. Env: `AU_STALLED_INTERVAL_MS`, default 30000. */
  stalledIntervalMs?: number;
  /** Bull job lock duration, ms. Env: `AU_LOCK_DURATION_MS`, default 30000. */
  lockDurationMs?: number;
  /**
   * Scopes tasks by owner: the owner of a request (the request your guards saw, e.g. `(req) => req.user?.sub`).
   * When set, au's routes answer `401` to a request without one, each task records its owner, and reading, waiting
   * for, cancelling and listing tasks see only the caller's (another owner's task answers `404`).
   */
  owner?: (request: any) => string | undefined;
  /**
   * With `owner` set, `GET /tasks/stats` (totals of every owner's tasks) is reserved to the requests this allows;
   * without it, to none (`403`). Without `owner`, stats stay open.
   */
  statsAccess?: (request: any) => boolean;
  /**
   * Seconds failed and cancelled tasks are kept (the dead-letter list: `GET /tasks?status=failed`, each retryable).
   * Env: `AU_FAILED_TTL`, default 7 days; never shorter than a task's own TTL.
   */
  failedTtlSeconds?: number;
}

/** Decorators and modules for au's routes (definition-time: they shape the generated controllers). */
export interface AuHttpOptions {
  /**
   * Method decorators applied to every au route (submit, read, result, cancel, list, stats...): `UseGuards`,
   * `UseInterceptors`, `SetMetadata`, `ApiBearerAuth`, throttling. They run after the app's global ones.
   */
  decorators?: MethodDecorator[];
  /** Modules whose exported providers those guards and interceptors inject (an `AuthModule` with `AuthService`). */
  imports?: ModuleMetadata['imports'];
}

/** Options that shape the module graph, so they are known when `forRoot` runs (definition-time extras). */
export interface AuModuleExtras {
  /** Provider classes whose `@AsyncTask()` methods become tasks (they are registered as providers). */
  tasks?: Function[];
  /** Execution backend. Env: `AU_BACKEND`, default `memory`. */
  backend?: AuBackendKind;
  /** Process role: `api` submits only, `worker` runs tasks only, `all` both. Env: `AU_ROLE`, default `all`. */
  role?: AuRole;
  /** Register au's providers globally. Default true. */
  isGlobal?: boolean;
  /**
   * Prometheus endpoint: `path` (env `AU_METRICS_PATH`, default `/metrics`), `enabled` (env `AU_METRICS=off`
   * disables it), and `port` (env `AU_METRICS_PORT`): a separate metrics server, for workers without HTTP.
   */
  metrics?: AuMetricsOptions;
  /** Guards, interceptors and other method decorators for au's routes, and the modules they need. */
  http?: AuHttpOptions;
  /** bull-board over every task queue (Bull backend only). Env: `AU_DASHBOARD=on`, `AU_DASHBOARD_PATH`. */
  dashboard?: AuDashboardOptions;
}

export interface AuDashboardOptions {
  /** Default: `AU_DASHBOARD=on`, else off. */
  enabled?: boolean;
  /** Default `/queues`. */
  path?: string;
}

export interface AuMetricsOptions {
  enabled?: boolean;
  path?: string;
  port?: number;
}

/** Options after env and defaults are applied; what au's providers inject. */
export interface ResolvedAuOptions {
  backend: AuBackendKind;
  role: AuRole;
  redis: string | AuRedisOptions;
  prefix: string;
  resultTtlSeconds: number;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  metrics: { enabled: boolean; path: string; port?: number };
  owner?: (request: any) => string | undefined;
  statsAccess?: (request: any) => boolean;
  /** Unset: 7 days (`failedTtlSecondsOf`). */
  failedTtlSeconds?: number;
}
