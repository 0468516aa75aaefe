/**
 * Key names au uses in Redis: Bull's own `{prefix}:{queue}:*` keys, and au's under `{prefix}:_au:`, a segment no task
 * (queue) name can take. The Lua scripts (redis-task.scripts) build the same names.
 */
export class RedisKeys {
  /** `{prefix}:_au:`, the start of every key of au's own. */
  readonly root: string;

  constructor(readonly prefix: string) {
    this.root = `${prefix}:_au:`;
  }

  /** A key of Bull's for a task's queue: its job hash (`id`) or one of its lists and sets (`wait`, `active`...). */
  bull(task: string, name: string): string {
    return `${this.prefix}:${task}:${name}`;
  }

  /** Sorted sets (score = createdAt ms) for `GET /tasks` listings. */
  index(): string {
    return `${this.root}tasks`;
  }

  taskIndex(task: string): string {
    return `${this.root}tasks:by-task:${task}`;
  }

  requestIndex(requestId: string): string {
    return `${this.root}tasks:by-request:${requestId}`;
  }

  /** Taken by the process that trims expired tasks this turn. */
  trimLock(): string {
    return `${this.root}trim-lock`;
  }

  /** Tasks of one owner (`forRoot({ owner })`), for `GET /tasks` of that owner. */
  ownerIndex(owner: string): string {
    return `${this.root}tasks:by-owner:${owner}`;
  }

  /** The task an idempotency key (a digest of owner and key) is held by: `id|task|inputHash|TTLs`. */
  idempotency(scope: string): string {
    return `${this.root}idem:${scope}`;
  }

  /** Pub/sub channel of cancellations: workers abort, waiters wake. */
  cancelChannel(): string {
    return `${this.root}cancelled`;
  }

  /**
   * Pub/sub channel of the tasks submitted by one process (`origin`, see RedisConnections) that a worker of another
   * completed: Bull's completed message (`{ jobId, val }`), sent there too by au's moveToFinished.
   */
  originCompletedChannel(origin: string): string {
    return this.originCompletedChannelStart() + origin;
  }

  /** What every origin's channel starts with (au's moveToFinished appends the origin). */
  originCompletedChannelStart(): string {
    return `${this.root}completed:`;
  }

  /** Pub/sub channel of the changes au tells and Bull does not (a failed attempt waits to be retried). */
  eventsChannel(): string {
    return `${this.prefix}:_au:events`;
  }

  /**
   * Pattern of Bull's channels of jobs made active (an attempt starts), one per worker: `{prefix}:{task}:active@{token}`,
   * the job id as message. The prefix is escaped for Redis' glob (task names cannot hold its special characters).
   */
  activePattern(task: string): string {
    return `${this.bull(task, 'active').replace(/[*?[\]\\]/g, '\\$&')}@*`;
  }

  /** Bull's channel of progress: `{ jobId, progress }`. */
  progressChannel(task: string): string {
    return `${this.prefix}:${task}:progress`;
  }

  /** Bull's channels, published when a job finishes. */
  finishedChannels(task: string): string[] {
    return [this.completedChannel(task), this.failedChannel(task)];
  }

  /** Bull's channel of completed jobs: `{ jobId, val }`, val being the result as JSON. */
  completedChannel(task: string): string {
    return this.bull(task, 'completed');
  }

  /** Bull's channel of jobs failed for good: `{ jobId, val }`, val being the reason. */
  failedChannel(task: string): string {
    return this.bull(task, 'failed');
  }
}
