import { randomUUID } from 'node:crypto';
import { describeJobControlContract } from './contract/job-control-contract';
import { sharedRedisUrl } from './harness/shared-redis';

// The same job control contract on Bull with a real redis-server (fresh key prefix per run).
describeJobControlContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `jc${randomUUID().slice(0, 8)}` }));
