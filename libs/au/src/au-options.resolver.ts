import { AuConfigError } from './core/au-config.error';
import type {
  AuBackendKind,
  AuDashboardOptions,
  AuMetricsOptions,
  AuModuleExtras,
  AuModuleOptions,
  AuRole,
  ResolvedAuOptions,
} from './core/au.options';

type Env = Record<string, string | undefined>;

function envNumber(env: Env, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw AuConfigError.badEnv(key, raw, 'a non-negative number');
  return value;
}

function envChoice<T extends string>(env: Env, key: string, choices: readonly T[]): T | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  if (!choices.includes(raw as T)) throw AuConfigError.badEnv(key, raw, `one of ${choices.join(', ')}`);
  return raw as T;
}

/** The metrics endpoint: explicit values over `AU_METRICS`, `AU_METRICS_PATH`, `AU_METRICS_PORT`, over defaults. */
export function resolveMetrics(explicit: AuMetricsOptions = {}, env: Env = process.env): ResolvedAuOptions['metrics'] {
  const flag = env.AU_METRICS;
  const path = explicit.path ?? env.AU_METRICS_PATH ?? '/metrics';
  return {
    enabled: explicit.enabled ?? !(flag === 'off' || flag === 'false' || flag === '0'),
    path: path.startsWith('/') ? path : `/${path}`,
    port: explicit.port ?? envNumber(env, 'AU_METRICS_PORT'),
  };
}

/** bull-board: explicit values over `AU_DASHBOARD` (on/off) and `AU_DASHBOARD_PATH`, over off and `/queues`. */
export function resolveDashboard(explicit: AuDashboardOptions = {}, env: Env = process.env): Required<AuDashboardOptions> {
  const flag = env.AU_DASHBOARD;
  const path = explicit.path ?? env.AU_DASHBOARD_PATH ?? '/queues';
  return {
    enabled: explicit.enabled ?? (flag === 'on' || flag === 'true' || flag === '1'),
    path: `/${path.replace(/^\/+|\/+$/g, '')}`,
  };
}

/** Definition-time choices (backend, role, metrics): explicit extras win over env vars. */
export function resolveAuExtras(extras: AuModuleExtras, env: Env = process.env) {
  const backend: AuBackendKind = extras.backend ?? envChoice(env, 'AU_BACKEND', ['memory', 'bull'] as const) ?? 'memory';
  const role: AuRole = extras.role ?? envChoice(env, 'AU_ROLE', ['api', 'worker', 'all'] as const) ?? 'all';
  if (backend === 'memory' && role !== 'all') throw AuConfigError.roleNeedsBull(role);
  const metrics = resolveMetrics(extras.metrics, env);
  return { backend, role, metrics, tasks: extras.tasks ?? [], isGlobal: extras.isGlobal ?? true, http: extras.http };
}

/** Merges explicit options over env vars over defaults. */
export function resolveAuOptions(
  options: AuModuleOptions,
  extras: { backend: AuBackendKind; role: AuRole; metrics?: ResolvedAuOptions['metrics'] },
  env: Env = process.env,
): ResolvedAuOptions {
  return {
    backend: extras.backend,
    role: extras.role,
    redis: options.redis ?? env.AU_REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: options.prefix ?? env.AU_PREFIX ?? 'au',
    resultTtlSeconds: options.resultTtlSeconds ?? envNumber(env, 'AU_RESULT_TTL') ?? 3600,
    maxBodyBytes: options.maxBodyBytes ?? envNumber(env, 'AU_MAX_BODY') ?? 1024 * 1024,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? envNumber(env, 'AU_SHUTDOWN_TIMEOUT_MS') ?? 10_000,
    stalledIntervalMs: options.stalledIntervalMs ?? envNumber(env, 'AU_STALLED_INTERVAL_MS') ?? 30_000,
    lockDurationMs: options.lockDurationMs ?? envNumber(env, 'AU_LOCK_DURATION_MS') ?? 30_000,
    metrics: extras.metrics ?? resolveMetrics(undefined, env),
    owner: options.owner,
    statsAccess: options.statsAccess,
    failedTtlSeconds: options.failedTtlSeconds ?? envNumber(env, 'AU_FAILED_TTL'),
  };
}
