import type { BullRootModuleOptions } from '@nestjs/bull';
import type { ResolvedAuOptions } from '../../core/au.options';
import { backoffDelay } from '../../core/task-errors';
import type { RedisConnections } from './redis/redis.connections';
import { AU_BACKOFF } from './bull-job';

/** Bull's root options from au's: prefix, stalled-job settings, au's backoff, and the connections Bull shares. */
export function createBullRootOptions(options: ResolvedAuOptions, connections: RedisConnections): BullRootModuleOptions {
  return {
    prefix: options.prefix,
    settings: {
      stalledInterval: options.stalledIntervalMs,
      lockDuration: options.lockDurationMs,
      lockRenewTime: Math.max(100, Math.floor(options.lockDurationMs / 2)),
      maxStalledCount: 1,
      backoffStrategies: {
        [AU_BACKOFF]: (attemptsMade: number, _error: Error, backoff: { delayMs: number; factor: number; jitter: number }) =>
          backoffDelay(backoff, attemptsMade),
      },
    },
    createClient: (type) => {
      if (type === 'client') return connections.client;
      if (type === 'subscriber') return connections.bullSubscriber();
      return connections.createBlockingClient();
    },
  };
}
