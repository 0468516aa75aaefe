import type Redis from 'ioredis';

/**
 * New records, atomic per record like MULTI but without its cost: each record's meta hash and its listing indexes. One
 * command carries every record submitted in the same turn of the event loop. Bull may add, run and finish the job
 * before this arrives (a worker in another process, an API busy with a burst), in which case the worker's expiry of
 * the meta came too early to apply: the meta then gets the task's TTL at once, else the pending bound.
 * ARGV[1]: the number of records; then per record: its key count (4, or 5 with a request index), its meta field
 * count, id, createdAt, pending bound (s), index TTL (s), the task's TTL (s), the meta fields. KEYS per record: meta,
 * Bull's job hash, index, task index [, request index].
 */
const CREATE_TASKS = `
local k, a = 1, 2
for _ = 1, tonumber(ARGV[1]) do
  local nkeys, nmeta = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local id, createdAt = ARGV[a + 2], ARGV[a + 3]
  redis.call('HSET', KEYS[k], unpack(ARGV, a + 7, a + 6 + nmeta))
  local finished = redis.call('HEXISTS', KEYS[k + 1], 'finishedOn') == 1
  redis.call('EXPIRE', KEYS[k], finished and ARGV[a + 6] or ARGV[a + 4])
  redis.call('ZADD', KEYS[k + 2], createdAt, id)
  redis.call('ZADD', KEYS[k + 3], createdAt, id)
  if nkeys == 5 then
    redis.call('ZADD', KEYS[k + 4], createdAt, id)
    redis.call('EXPIRE', KEYS[k + 4], ARGV[a + 5])
  end
  k, a = k + nkeys, a + 7 + nmeta
end
return ARGV[1]
`;

/** EXPIRE of many keys in one command: KEYS[i] gets ARGV[i] seconds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
`;

export interface TaskWriterClient extends Redis {
  /** `numberOfKeys` (all records' keys), the keys, then the ARGV above (ioredis flattens the two arrays). */
  auCreateTasks(numberOfKeys: number, keys: string[], args: (string | number)[]): Promise<unknown>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
}

export function defineTaskWriter(client: Redis): TaskWriterClient {
  const writer = client as unknown as Partial<TaskWriterClient>;
  if (!writer.auCreateTasks) client.defineCommand('auCreateTasks', { lua: CREATE_TASKS });
  if (!writer.auExpireMany) client.defineCommand('auExpireMany', { lua: EXPIRE_MANY });
  return client as unknown as TaskWriterClient;
}
