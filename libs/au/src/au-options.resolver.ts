import { AuConfigError } from './common/au-config.error';
import type { AuBackendKind, AuModuleExtras, AuModuleOptions, AuRole, ResolvedAuOptions } from './au.options';

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

/** Definition-time choices (backend, role): explicit extras win over `AU_BACKEND` / `AU_ROLE`. */
export function resolveAuExtras(extras: AuModuleExtras, env: Env = process.env) {
  const backend: AuBackendKind = extras.backend ?? envChoice(env, 'AU_BACKEND', ['memory', 'bull'] as const) ?? 'memory';
  const role: AuRole = extras.role ?? envChoice(env, 'AU_ROLE', ['api', 'worker', 'all'] as const) ?? 'all';
  if (backend === 'memory' && role !== 'all') throw AuConfigError.roleNeedsBull(role);
  return { backend, role, tasks: extras.tasks ?? [], isGlobal: extras.isGlobal ?? true };
}

/** Merges explicit options over env vars over defaults. */
export function resolveAuOptions(
  options: AuModuleOptions,
  extras: { backend: AuBackendKind; role: AuRole },
  env: Env = process.env,
): ResolvedAuOptions {
  const metricsFlag = env.AU_METRICS;
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
    metrics: {
      enabled: options.metrics?.enabled ?? !(metricsFlag === 'off' || metricsFlag === 'false' || metricsFlag === '0'),
      path: options.metrics?.path ?? env.AU_METRICS_PATH ?? '/metrics',
      port: options.metrics?.port ?? envNumber(env, 'AU_METRICS_PORT'),
    },
  };
}
