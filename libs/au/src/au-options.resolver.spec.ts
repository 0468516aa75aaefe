import { AuConfigError } from './core/au-config.error';
import { resolveAuExtras, resolveAuOptions, resolveDashboard, resolveMetrics } from './au-options.resolver';

const all = { backend: 'memory', role: 'all' } as const;

describe('resolveAuOptions', () => {
  it('falls back to the documented defaults', () => {
    expect(resolveAuOptions({}, all, {})).toEqual({
      backend: 'memory',
      role: 'all',
      redis: 'redis://127.0.0.1:6379',
      prefix: 'au',
      resultTtlSeconds: 3600,
      maxBodyBytes: 1024 * 1024,
      shutdownTimeoutMs: 10_000,
      stalledIntervalMs: 30_000,
      lockDurationMs: 30_000,
      metrics: { enabled: true, path: '/metrics', port: undefined },
    });
  });

  it('takes env vars over the defaults', () => {
    const env = {
      AU_REDIS_URL: 'redis://127.0.0.1:7000',
      AU_PREFIX: 'env',
      AU_RESULT_TTL: '60',
      AU_MAX_BODY: '2048',
      AU_SHUTDOWN_TIMEOUT_MS: '500',
      AU_STALLED_INTERVAL_MS: '1000',
      AU_LOCK_DURATION_MS: '2000',
      AU_METRICS: 'off',
      AU_METRICS_PATH: '/m',
      AU_METRICS_PORT: '9100',
    };
    expect(resolveAuOptions({}, all, env)).toMatchObject({
      redis: 'redis://127.0.0.1:7000',
      prefix: 'env',
      resultTtlSeconds: 60,
      maxBodyBytes: 2048,
      shutdownTimeoutMs: 500,
      stalledIntervalMs: 1000,
      lockDurationMs: 2000,
      metrics: { enabled: false, path: '/m', port: 9100 },
    });
  });

  it('takes explicit options over env vars', () => {
    const env = { AU_REDIS_URL: 'redis://env:1', AU_PREFIX: 'env', AU_RESULT_TTL: '60', AU_MAX_BODY: '2048', AU_METRICS: 'off' };
    const options = {
      redis: { host: '127.0.0.1', port: 7001 },
      prefix: 'explicit',
      resultTtlSeconds: 5,
      maxBodyBytes: 10,
    };
    const extras = { ...all, metrics: resolveMetrics({ enabled: true, path: '/x' }, env) };
    expect(resolveAuOptions(options, extras, env)).toMatchObject({
      redis: { host: '127.0.0.1', port: 7001 },
      prefix: 'explicit',
      resultTtlSeconds: 5,
      maxBodyBytes: 10,
      metrics: { enabled: true, path: '/x' },
    });
  });

  it('keeps an explicit 0 rather than the env or default', () => {
    expect(resolveAuOptions({ resultTtlSeconds: 0 }, all, { AU_RESULT_TTL: '60' }).resultTtlSeconds).toBe(0);
  });

  it('treats an empty env var as unset', () => {
    expect(resolveAuOptions({}, all, { AU_RESULT_TTL: '', AU_MAX_BODY: '' })).toMatchObject({ resultTtlSeconds: 3600, maxBodyBytes: 1048576 });
  });

  it.each(['false', '0', 'off'])('AU_METRICS=%s turns metrics off', (flag) => {
    expect(resolveAuOptions({}, all, { AU_METRICS: flag }).metrics.enabled).toBe(false);
  });

  it.each([
    ['AU_RESULT_TTL', 'soon'],
    ['AU_RESULT_TTL', '-1'],
    ['AU_MAX_BODY', '1mb'],
    ['AU_SHUTDOWN_TIMEOUT_MS', 'Infinity'],
    ['AU_METRICS_PORT', 'NaN'],
  ])('rejects %s=%s, naming the variable and what it expects', (key, raw) => {
    const resolve = () => resolveAuOptions({}, all, { [key]: raw });
    expect(resolve).toThrow(AuConfigError);
    expect(resolve).toThrow(`Environment variable ${key}="${raw}" is invalid: expected a non-negative number.`);
  });

  it('does not consult an env var that an explicit option overrides', () => {
    expect(resolveAuOptions({ resultTtlSeconds: 5 }, all, { AU_RESULT_TTL: 'soon' }).resultTtlSeconds).toBe(5);
  });
});

describe('resolveAuExtras', () => {
  it('defaults to memory, role all, no tasks, global', () => {
    expect(resolveAuExtras({}, {})).toEqual({
      backend: 'memory',
      role: 'all',
      tasks: [],
      isGlobal: true,
      metrics: { enabled: true, path: '/metrics', port: undefined },
    });
  });

  it('takes AU_BACKEND and AU_ROLE over the defaults', () => {
    expect(resolveAuExtras({}, { AU_BACKEND: 'bull', AU_ROLE: 'worker' })).toMatchObject({ backend: 'bull', role: 'worker' });
  });

  it('takes explicit extras over AU_BACKEND and AU_ROLE', () => {
    expect(resolveAuExtras({ backend: 'memory', role: 'all' }, { AU_BACKEND: 'bull', AU_ROLE: 'api' })).toMatchObject({
      backend: 'memory',
      role: 'all',
    });
  });

  it('rejects AU_BACKEND and AU_ROLE values it does not know, listing the choices', () => {
    expect(() => resolveAuExtras({}, { AU_BACKEND: 'nope' })).toThrow('AU_BACKEND="nope" is invalid: expected one of memory, bull.');
    expect(() => resolveAuExtras({}, { AU_ROLE: 'boss' })).toThrow('AU_ROLE="boss" is invalid: expected one of api, worker, all.');
  });

  it.each(['api', 'worker'] as const)('rejects role %s on the memory backend: it needs a shared queue', (role) => {
    expect(() => resolveAuExtras({ role }, {})).toThrow(AuConfigError);
    expect(() => resolveAuExtras({ role }, {})).toThrow(/set AU_BACKEND=bull/);
    expect(resolveAuExtras({ role, backend: 'bull' }, {})).toMatchObject({ role, backend: 'bull' });
  });
});

describe('job control options', () => {
  it('failedTtlSeconds: explicit over AU_FAILED_TTL, unset by default (7 days where it is used)', () => {
    expect(resolveAuOptions({}, all, {}).failedTtlSeconds).toBeUndefined();
    expect(resolveAuOptions({}, all, { AU_FAILED_TTL: '60' }).failedTtlSeconds).toBe(60);
    expect(resolveAuOptions({ failedTtlSeconds: 5 }, all, { AU_FAILED_TTL: '60' }).failedTtlSeconds).toBe(5);
    expect(() => resolveAuOptions({}, all, { AU_FAILED_TTL: 'week' })).toThrow('AU_FAILED_TTL="week" is invalid');
  });

  it('dashboard: off at /queues unless AU_DASHBOARD=on; explicit options win', () => {
    expect(resolveDashboard(undefined, {})).toEqual({ enabled: false, path: '/queues' });
    expect(resolveDashboard(undefined, { AU_DASHBOARD: 'on', AU_DASHBOARD_PATH: 'admin/queues/' })).toEqual({ enabled: true, path: '/admin/queues' });
    expect(resolveDashboard({ enabled: false, path: '/board' }, { AU_DASHBOARD: 'on' })).toEqual({ enabled: false, path: '/board' });
  });
});
