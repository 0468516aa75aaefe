import type Redis from 'ioredis';

/**
 * One command per new record, atomic like MULTI but without its cost: the meta hash (bounded while pending) and the
 * listing indexes. As a plain command it joins the client's auto-pipeline, so it travels with Bull's addJob in one
 * write instead of a MULTI/EXEC block of its own (a new ioredis Pipeline and a socket write per task).
 * KEYS: meta, index, task index[, request index]. ARGV: id, createdAt, pending bound (s), index TTL (s), meta fields.
 */
const CREATE_TASK = `
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
if KEYS[4] then
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
  redis.call('EXPIRE', KEYS[4], ARGV[4])
end
return 1
`;

/** EXPIRE of many keys in one command: KEYS[i] gets ARGV[i] seconds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
`;

export interface TaskWriterClient extends Redis {
  /** `numberOfKeys` (3, or 4 with a request index), the keys, then the ARGV above. */
  auCreateTask(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
}

export function defineTaskWriter(client: Redis): TaskWriterClient {
  const writer = client as unknown as Partial<TaskWriterClient>;
  if (!writer.auCreateTask) client.defineCommand('auCreateTask', { lua: CREATE_TASK });
  if (!writer.auExpireMany) client.defineCommand('auExpireMany', { lua: EXPIRE_MANY });
  return client as unknown as TaskWriterClient;
}
