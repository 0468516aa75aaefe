import { Module } from '@nestjs/common';
import { AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER } from '../../../core/au.tokens';
import { RedisConnections } from './redis.connections';

/** The Redis connections of this process, for au's store and for Bull's queues (see RedisConnections). */
@Module({
  providers: [
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
  ],
  exports: [RedisConnections, AU_REDIS_CLIENT, AU_REDIS_SUBSCRIBER],
})
export class AuRedisModule {}
