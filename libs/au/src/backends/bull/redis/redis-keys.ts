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

  /** Pub/sub channel of cancellations: workers abort, waiters wake. */
  cancelChannel(): string {
    return `${this.prefix}:_au:cancelled`;
  }

  /** Pub/sub channel of the changes au tells and Bull does not (an attempt starts, waits to be retried). */
  eventsChannel(): string {
    return `${this.prefix}:_au:events`;
  }

  /** Bull's channel of progress: `{ jobId, progress }`. */
  progressChannel(task: string): string {
    return `${this.prefix}:${task}:progress`;
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
