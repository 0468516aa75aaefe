/**
 * Key names au uses in Redis, beside Bull's own `{prefix}:{queue}:*` keys. au's live under `{prefix}:_au:`, a segment
 * no task (queue) name can take. The Lua scripts of redis-task.reader and redis-task.writer build the same names.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Small hash with what Bull's job does not hold: task name, request id, parent id, cancelled flag. */
  meta(id: string): string {
    return `${this.prefix}:_au:task:${id}`;
  }

  /** Sorted sets (score = createdAt ms) for `GET /tasks` listings. */
  index(): string {
    return `${this.prefix}:_au:tasks`;
  }

  taskIndex(task: string): string {
    return `${this.prefix}:_au:tasks:by-task:${task}`;
  }

  requestIndex(requestId: string): string {
    return `${this.prefix}:_au:tasks:by-request:${requestId}`;
  }

  /** Tasks of one owner (`forRoot({ owner })`), for `GET /tasks` of that owner. */
  ownerIndex(owner: string): string {
    return `${this.prefix}:_au:tasks:by-owner:${owner}`;
  }

  /** The task an idempotency key (a digest of owner and key) is held by: `id|task|inputHash`. */
  idempotency(scope: string): string {
    return `${this.prefix}:_au:idem:${scope}`;
  }

  /** Pub/sub channel of cancellations: workers abort, waiters wake. */
  cancelChannel(): string {
    return `${this.prefix}:_au:cancelled`;
  }

  /** Bull's channels, published when a job finishes. */
  finishedChannels(task: string): string[] {
    return [this.completedChannel(task), `${this.prefix}:${task}:failed`];
  }

  /** Bull's channel of completed jobs: `{ jobId, val }`, val being the result as JSON. */
  completedChannel(task: string): string {
    return `${this.prefix}:${task}:completed`;
  }
}
