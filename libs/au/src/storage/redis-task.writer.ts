import type Redis from 'ioredis';

/**
 * New records, atomic per record like MULTI but without its cost: each record's meta hash and its listing indexes. One
 * command carries every record submitted in the same turn of the event loop, as seven plain values per record: the
 * script builds the key names (the layout of RedisKeys) rather than Node sending them. Bull may add, run and finish
 * the job before this arrives (a worker in another process, an API busy with a burst), in which case the worker's
 * expiry of the meta came too early to apply: the meta then gets the task's TTL at once, else the pending bound.
 * No KEYS. ARGV: prefix, pending bound (s), index TTL (s), the number of records, then per record: id, task,
 * createdAt, TTL (s), maxAttempts, requestId or '', parentId or ''.
 */
const CREATE_TASKS = `
local prefix, pending, indexTtl = ARGV[1], ARGV[2], ARGV[3]
local au = prefix .. ':_au:'
local a = 5
for _ = 1, tonumber(ARGV[4]) do
  local id, task, createdAt, ttl, maxAttempts, requestId, parentId = unpack(ARGV, a, a + 6)
  local meta = au .. 'task:' .. id
  local fields = { 'task', task, 'createdAt', createdAt, 'maxAttempts', maxAttempts }
  if requestId ~= '' then fields[7], fields[8] = 'requestId', requestId end
  if parentId ~= '' then fields[#fields + 1], fields[#fields + 2] = 'parentId', parentId end
  redis.call('HSET', meta, unpack(fields))
  local finished = redis.call('HEXISTS', prefix .. ':' .. task .. ':' .. id, 'finishedOn') == 1
  redis.call('EXPIRE', meta, finished and ttl or pending)
  redis.call('ZADD', au .. 'tasks', createdAt, id)
  redis.call('ZADD', au .. 'tasks:by-task:' .. task, createdAt, id)
  if requestId ~= '' then
    local byRequest = au .. 'tasks:by-request:' .. requestId
    redis.call('ZADD', byRequest, createdAt, id)
    redis.call('EXPIRE', byRequest, indexTtl)
  end
  a = a + 7
end
return ARGV[4]
`;

/** EXPIRE of many keys in one command: KEYS[i] gets ARGV[i] seconds. */
const EXPIRE_MANY = `
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
`;

export interface TaskWriterClient extends Redis {
  /** The ARGV above, as one array. */
  auCreateTasks(args: (string | number)[]): Promise<unknown>;
  /** `numberOfKeys`, the keys, then one TTL in seconds per key. */
  auExpireMany(numberOfKeys: number, ...keysAndTtls: (string | number)[]): Promise<number>;
}

export function defineTaskWriter(client: Redis): TaskWriterClient {
  const writer = client as unknown as Partial<TaskWriterClient>;
  if (!writer.auCreateTasks) client.defineCommand('auCreateTasks', { numberOfKeys: 0, lua: CREATE_TASKS });
  if (!writer.auExpireMany) client.defineCommand('auExpireMany', { lua: EXPIRE_MANY });
  return client as unknown as TaskWriterClient;
}
