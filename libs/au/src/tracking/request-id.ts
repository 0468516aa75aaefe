import { randomUUID } from 'node:crypto';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when sane (1-128 of `[A-Za-z0-9._:-]`), otherwise a new UUIDv4. */
export function sanitizeRequestId(value: unknown): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && SANE.test(candidate) ? candidate : randomUUID();
}
