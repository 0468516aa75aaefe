import { randomUUID } from 'node:crypto';
import { describeJobControlContract } from './contract/job-control-contract';
import { sharedRedisUrl } from './harness/shared-redis';

// The very same job control contract on Fastify, in memory and on Bull.
describeJobControlContract('memory', () => ({}), 'fastify');
describeJobControlContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `jf${randomUUID().slice(0, 8)}` }), 'fastify');
