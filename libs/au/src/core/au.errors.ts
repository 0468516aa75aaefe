/**
 * Errors of au's domain, thrown by stores, backends and the task service whatever the caller (HTTP or code). Each says
 * what went wrong; `AuErrorsFilter` answers them over HTTP as JSON with the status they name.
 */
export abstract class AuError extends Error {
  /** The HTTP status this error stands for when a request caused it. */
  abstract readonly status: 400 | 404 | 409 | 503;
}

/** A `cursor` that no page of this list produced. */
export class InvalidCursorError extends AuError {
  override name = 'InvalidCursorError';
  readonly status = 400;
  constructor(cursor: string) {
    super(`cursor "${cursor.slice(0, 64)}" is not valid for this list; pass the nextCursor of a previous page`);
  }
}

/** The task store (Redis) did not answer: the call can be retried later; nothing was half-written. */
export class StoreUnavailableError extends AuError {
  override name = 'StoreUnavailableError';
  readonly status = 503;
  constructor(what: string, cause?: unknown) {
    super(`Task storage (Redis) is unreachable while trying to ${what}; retry later`, { cause });
  }
}
