/**
 * au's Lua scripts. A task's record is its Bull job: Bull's hash holds input, status, attempts, timings, progress,
 * result and error; au adds a few fields to it (`auOrigin`, `auRequestId`, `auParentId`, `auOwner`, `auTraceId`,
 * `auCancelledAt`) and keeps sorted sets (score = createdAt) that list tasks: `{prefix}:_au:tasks`,
 * `:tasks:by-task:{task}`, `:tasks:by-request:{id}`, `:tasks:by-owner:{owner}`; an idempotency key is
 * `{prefix}:_au:idem:{digest}`.
 */

/**
 * Bull's own addJob script (the source Bull ships, run as it is) followed by au's writes, so that a new task costs one
 * script call as a bare `queue.add` does, and the job, au's fields and the listing entries appear at once. With an
 * idempotency key, it first looks whether the key is held by a task still kept (its job exists and, if finished, is
 * within its TTL): then it adds nothing and answers `{ 'held', holder }`; else it adds the job and the key holds it.
 * Bull's KEYS and ARGV[1..14] as Bull builds them (ARGV[1] is `{prefix}:{task}:`, ARGV[6] the job's timestamp, the
 * record's createdAt), except ARGV[5], the job's options as JSON text, which Bull sends packed by msgpack and the
 * script packs itself (a Buffer argument makes the client build the whole command as buffers). Then au's, few
 * because each costs the client as much as a key: ARGV[15] `task|index TTL (s)|idempotency key TTL (s)|origin` (the
 * submitting process, see RedisConnections), [16] request id, [17] owner, [18] parent id, [19] trace id ('' when
 * absent: the job's hash gets a field for each one present), [20] the idempotency key or '', [21] what it is to hold
 * (`id|task|inputHash|completed TTL ms|failed TTL ms`).
 */
export function addTaskScript(bullAddJob: string): string {
  return `
local function bullAddJob()
${bullAddJob}
end
ARGV[5] = cmsgpack.pack(ARGV[5])
local task, indexTtl, claimTtl, origin = string.match(ARGV[15], '^(.*)|(%d+)|(%d+)|([^|]*)$')
local bullRoot = string.sub(ARGV[1], 1, #ARGV[1] - #task - 1)
local au, createdAt = bullRoot .. '_au:', ARGV[6]
local requestId, owner, idem = ARGV[16], ARGV[17], ARGV[20]
if idem ~= '' then
  local holder = redis.call('GET', idem)
  if holder then
    local id, heldTask, _, completedTtl, failedTtl = string.match(holder, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
    local job = redis.call('HMGET', bullRoot .. heldTask .. ':' .. id, 'timestamp', 'finishedOn', 'auCancelledAt', 'returnvalue')
    local ended = tonumber(job[3] or job[2] or '')
    local ttl = tonumber((job[4] and not job[3]) and completedTtl or failedTtl)
    if job[1] and not (ended and ended + ttl <= tonumber(createdAt)) then return { 'held', holder } end
  end
end
local jobId = bullAddJob()
local fields = { 'auOrigin', origin }
for i, name in ipairs({ 'auRequestId', 'auOwner', 'auParentId', 'auTraceId' }) do
  if ARGV[15 + i] ~= '' then
    fields[#fields + 1] = name
    fields[#fields + 1] = ARGV[15 + i]
  end
end
redis.call('HSET', ARGV[1] .. jobId, unpack(fields))
if idem ~= '' then redis.call('SET', idem, ARGV[21], 'EX', claimTtl) end
redis.call('ZADD', au .. 'tasks', createdAt, jobId)
redis.call('ZADD', au .. 'tasks:by-task:' .. task, createdAt, jobId)
if requestId ~= '' then
  local byRequest = au .. 'tasks:by-request:' .. requestId
  redis.call('ZADD', byRequest, createdAt, jobId)
  redis.call('EXPIRE', byRequest, indexTtl)
end
if owner ~= '' then
  local byOwner = au .. 'tasks:by-owner:' .. owner
  redis.call('ZADD', byOwner, createdAt, jobId)
  redis.call('ZREMRANGEBYSCORE', byOwner, '-inf', '(' .. (tonumber(createdAt) - indexTtl * 1000))
  redis.call('EXPIRE', byOwner, indexTtl)
end
return jobId
`;
}

/** One round trip per record: the job's fields and whether it is in the active list. KEYS: job hash, active list. */
export const READ_TASK = `
local job = redis.call('HMGET', KEYS[1], 'timestamp', 'processedOn', 'finishedOn', 'attemptsMade', 'progress',
  'returnvalue', 'failedReason', 'stacktrace', 'opts', 'auRequestId', 'auParentId', 'auCancelledAt', 'auOwner', 'delay',
  'priority', 'auTraceId')
if not job[1] then return false end
local active = redis.call('LPOS', KEYS[2], ARGV[1])
return { job, active and 1 or 0 }
`;

/**
 * Cancels a task that has not finished: flags the job cancelled and tells every process (workers abort it, waiters
 * wake). A job still waiting (or delayed) leaves its list for Bull's failed set at once, so it never runs and keeps
 * its record (the error of an earlier attempt included). KEYS: job hash, wait, paused, delayed, priority, failed. ARGV: id, now, cancel channel.
 * Returns 0 for an unknown job, -1 for a finished one, 1 for a pending one, 2 for a running one.
 */
export const CANCEL_TASK = `
local id, now = ARGV[1], ARGV[2]
local job = redis.call('HMGET', KEYS[1], 'timestamp', 'finishedOn', 'auCancelledAt')
if not job[1] then return 0 end
if job[2] or job[3] then return -1 end
redis.call('HSET', KEYS[1], 'auCancelledAt', now)
local state = 2
if redis.call('LREM', KEYS[2], 0, id) + redis.call('LREM', KEYS[3], 0, id) + redis.call('ZREM', KEYS[4], id) > 0 then
  redis.call('ZREM', KEYS[5], id)
  redis.call('HSET', KEYS[1], 'finishedOn', now)
  redis.call('ZADD', KEYS[6], now, id)
  state = 1
end
redis.call('PUBLISH', ARGV[3], id)
return state
`;

/**
 * Lets go of what has outlived its TTL, in bulk rather than per task: finished jobs (their hash and logs, and their
 * place in the completed and failed sets) and listing entries older than the index TTL. At most ARGV[3] jobs per
 * set and call. ARGV: Bull's prefix, now (ms), the batch size, au's key root, the index cutoff (ms), then per task:
 * name, TTL of completed jobs (ms), TTL of failed and cancelled ones (ms). Returns how many jobs it removed.
 */
export const TRIM_TASKS = `
local prefix, now, batch, au, indexCutoff = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local removed = 0
redis.call('ZREMRANGEBYSCORE', au .. 'tasks', '-inf', '(' .. indexCutoff)
for i = 6, #ARGV, 3 do
  local task = ARGV[i]
  local base = prefix .. ':' .. task .. ':'
  redis.call('ZREMRANGEBYSCORE', au .. 'tasks:by-task:' .. task, '-inf', '(' .. indexCutoff)
  for s, set in ipairs({ 'completed', 'failed' }) do
    local ids = redis.call('ZRANGEBYSCORE', base .. set, '-inf', '(' .. (now - tonumber(ARGV[i + s])), 'LIMIT', 0, batch)
    if #ids > 0 then
      local keys = {}
      for _, id in ipairs(ids) do
        keys[#keys + 1] = base .. id
        keys[#keys + 1] = base .. id .. ':logs'
      end
      redis.call('DEL', unpack(keys))
      redis.call('ZREM', base .. set, unpack(ids))
      removed = removed + #ids
    end
  end
end
return removed
`;
