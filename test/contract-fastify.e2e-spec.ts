import { randomUUID } from 'node:crypto';
import { describeTaskContract } from './contract/task-contract';
import { sharedRedisUrl } from './harness/shared-redis';

// The very same HTTP contract as on Express, on Fastify: in memory, and on Bull with a real redis-server.
describeTaskContract('memory', () => ({}), 'fastify');
describeTaskContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `cf${randomUUID().slice(0, 8)}` }), 'fastify');
