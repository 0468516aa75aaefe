import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { callerOwnerOf, OwnedRequest } from './caller-owner.decorator';
import type { HttpReply } from './tasks.controller';

/** What a submit route takes from its HTTP exchange beside the body. */
export interface SubmitExchange {
  /** For the `Location` header, and `200` when a `?wait=` saw the task finish. */
  reply: HttpReply;
  /** The query as sent (`wait`, `delay`, `priority`), read into `SubmitQueryDto` by the route with `readWaitQuery`. */
  query: unknown;
  /** The owner AuOwnerGuard found; undefined unless `forRoot({ owner })` is set. */
  owner?: string;
  /** The request's `Idempotency-Key` header, as sent (parsed and checked by TaskService). */
  idempotencyKey?: string;
}

/**
 * The submit's side of the exchange, as one parameter: the response (what `@Res({ passthrough: true })` gives), the
 * query, the caller's owner (`@CallerOwner()`) and the `Idempotency-Key` header. One parameter rather than four,
 * since Nest resolves each parameter of a route on every request, a piped one (`@Query()`) through a chain of
 * promises; and not `@Headers()`, which Swagger would document as a second, required header beside the submit's
 * optional one (declared with `ApiHeader`, as the query is with `ApiQuery`).
 */
export const SubmitExchangeParam = createParamDecorator((_: unknown, context: ExecutionContext): SubmitExchange => {
  const http = context.switchToHttp();
  const request = http.getRequest<OwnedRequest & { query: unknown; headers: Record<string, string | undefined> }>();
  return {
    reply: http.getResponse<HttpReply>(),
    query: request.query,
    owner: callerOwnerOf(request),
    idempotencyKey: request.headers['idempotency-key'],
  };
});
