import type { Provider } from '@nestjs/common';
import { RedisConnections } from './redis.connections';
import { AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER } from './redis.tokens';

/** The shared connections, plus tokens for the two that stores and queues inject. */
export const redisProviders: Provider[] = [
  RedisConnections,
  {
    provide: AU_REDIS_CLIENT,
    useFactory: async (connections: RedisConnections) => {
      await connections.ready();
      return connections.client;
    },
    inject: [RedisConnections],
  },
  { provide: AU_REDIS_SUBSCRIBER, useFactory: (c: RedisConnections) => c.subscriber, inject: [RedisConnections] },
];
