import type Redis from 'ioredis';

/**
 * New records, atomic per record like MULTI but without its cost: each record's meta hash (bounded while pending) and
 * its listing indexes. One command carries every record submitted in the same turn of the event loop.
 * ARGV[1]: the number of records; then per record: its key count (3, or 4 with a request index), its meta field
 * count, id, createdAt, pending bound (s), index TTL (s), the meta fields. KEYS per record: meta, index, task index
 * [, request index].
 */
const CREATE_TASKS = `
local k, a = 1, 2
for _ = 1, tonumber(ARGV[1]) do
  local nkeys, nmeta = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local id, createdAt = ARGV[a + 2], ARGV[a + 3]
  redis.call('HSET', KEYS[k], unpack(ARGV, a + 6, a + 5 + nmeta))
  redis.call('EXPIRE', KEYS[k], ARGV[a + 4])
  redis.call('ZADD', KEYS[k + 1], createdAt, id)
  redis.call('ZADD', KEYS[k + 2], createdAt, id)
  if nkeys == 4 then
    redis.call('ZADD', KEYS[k + 3], createdAt, id)
    redis.call('EXPIRE', KEYS[k + 3], ARGV[a + 5])
  end
  k, a = k + nkeys, a + 6 + nmeta
end
return ARGV[1]
`;

/** EXPIRE of many keys in one command: KEYS[i] gets ARGV[i] seconds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
`;

export interface TaskWriterClient extends Redis {
  /** `numberOfKeys` (all records' keys), the keys, then the ARGV above. */
  auCreateTasks(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
}

export function defineTaskWriter(client: Redis): TaskWriterClient {
  const writer = client as unknown as Partial<TaskWriterClient>;
  if (!writer.auCreateTasks) client.defineCommand('auCreateTasks', { lua: CREATE_TASKS });
  if (!writer.auExpireMany) client.defineCommand('auExpireMany', { lua: EXPIRE_MANY });
  return client as unknown as TaskWriterClient;
}
