import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeader } from 'node:http';
import { REQUEST_ID_HEADER } from '../core/au.constants';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when sane (1-128 of `[A-Za-z0-9._:-]`), otherwise a new UUIDv4. */
export function sanitizeRequestId(value: unknown): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && SANE.test(candidate) ? candidate : randomUUID();
}

/** The raw (Node) request and response, as Express middleware and the server's `request` event see them. */
interface RawRequest {
  headers: IncomingHttpHeaders;
}
interface RawResponse {
  getHeader(name: string): OutgoingHttpHeader | undefined;
  setHeader(name: string, value: string): unknown;
}

/**
 * Puts this request's id on the response as `X-Request-ID` and returns it: the one already set earlier in the same
 * request if any (so mounting it twice is harmless), otherwise the caller's when sane, otherwise a new UUIDv4.
 */
export function assignRequestId(req: RawRequest, res: RawResponse): string {
  const existing = res.getHeader(REQUEST_ID_HEADER);
  const requestId = typeof existing === 'string' ? existing : sanitizeRequestId(req.headers['x-request-id']);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  return requestId;
}
