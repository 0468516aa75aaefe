import { HttpException, ServiceUnavailableException } from '@nestjs/common';

const DEFAULT_TIMEOUT_MS = 2000;

/** Redis did not answer: the request can be retried later; nothing was half-written. */
export class RedisUnavailableException extends ServiceUnavailableException {
  constructor(what: string, cause?: unknown) {
    super(`Task storage (Redis) is unreachable while trying to ${what}; retry later`, { cause });
  }
}

/**
 * Bounds a Redis call: a timeout or connection error becomes a 503 `RedisUnavailableException`, so HTTP callers
 * get an answer within seconds instead of a hang or a 500.
 */
export async function guardRedis<T>(what: string, call: () => Promise<T>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableException(what, new Error(`no answer in ${timeoutMs} ms`))), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (error instanceof HttpException) throw error;
    throw new RedisUnavailableException(what, error);
  } finally {
    clearTimeout(timer);
  }
}
