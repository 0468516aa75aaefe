import { randomUUID } from 'node:crypto';
import { describeSecurityContract } from './contract/security-contract';
import { sharedRedisUrl } from './harness/shared-redis';

// Guards, owner scoping and Idempotency-Key: the same contract in memory and on Bull, on Express and on Fastify.
describeSecurityContract('memory', () => ({}));
describeSecurityContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `se${randomUUID().slice(0, 8)}` }));
describeSecurityContract('memory', () => ({}), 'fastify');
describeSecurityContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `sf${randomUUID().slice(0, 8)}` }), 'fastify');
