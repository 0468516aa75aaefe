import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { BackendReadiness, TaskBackend } from '../tasks/task.backend';
import { AuHealthIndicator } from './au.health-indicator';

describe('AuHealthIndicator', () => {
  const indicator = (readiness: () => Promise<BackendReadiness>) =>
    new AuHealthIndicator(new HealthIndicatorService(), { readiness } as unknown as TaskBackend);

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('is up with the backend details when the backend is ready', async () => {
    const result = await indicator(async () => ({ ok: true, details: { backend: 'memory' } })).isReady();
    expect(result).toEqual({ au: { status: 'up', backend: 'memory' } });
  });

  it('is down with the details when the backend is not ready, under the key asked for', async () => {
    const result = await indicator(async () => ({ ok: false, details: { redis: 'down' } })).isReady('queue');
    expect(result).toEqual({ queue: { status: 'down', redis: 'down' } });
  });

  it('reads a throwing backend as down instead of throwing', async () => {
    const result = await indicator(() => Promise.reject(new Error('boom'))).isReady();
    expect(result).toEqual({ au: { status: 'down', message: 'boom' } });
  });

  it('reads a backend that never answers as down within the timeout', async () => {
    jest.useFakeTimers();
    const pending = indicator(() => new Promise<never>(() => undefined)).isReady();
    await jest.advanceTimersByTimeAsync(1500);
    await expect(pending).resolves.toEqual({ au: { status: 'down', message: 'no answer in 1500 ms' } });
  });
});
