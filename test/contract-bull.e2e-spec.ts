import { randomUUID } from 'node:crypto';
import { describeTaskContract } from './contract/task-contract';
import { sharedRedisUrl } from './harness/shared-redis';

// The same HTTP contract as on the in-memory backend, on Bull with a real redis-server (fresh key prefix per run).
describeTaskContract('bull', () => ({ redisUrl: sharedRedisUrl(), prefix: `ct${randomUUID().slice(0, 8)}` }));
