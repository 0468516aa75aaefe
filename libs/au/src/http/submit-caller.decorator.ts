import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { callerOwnerOf, OwnedRequest } from './caller-owner.decorator';
import type { HttpReply } from './tasks.controller';

/** What a submit route takes from its exchange beside the body and the query. */
export interface SubmitCaller {
  /** For the `Location` header, and `200` when a `?wait=` saw the task finish. */
  reply: HttpReply;
  /** The owner AuOwnerGuard found; undefined unless `forRoot({ owner })` is set. */
  owner?: string;
  /** The request's `Idempotency-Key` header, as sent (parsed and checked by TaskService). */
  idempotencyKey?: string;
}

/**
 * The caller's side of a submit, as one parameter: the response (what `@Res({ passthrough: true })` gives), the
 * caller's owner (`@CallerOwner()`) and the `Idempotency-Key` header. One parameter rather than three, since Nest
 * resolves each parameter of a route on every request; and not `@Headers()`, which Swagger would document as a
 * second, required header beside the submit's optional one (declared with `ApiHeader`).
 */
export const SubmitCallerParam = createParamDecorator((_: unknown, context: ExecutionContext): SubmitCaller => {
  const http = context.switchToHttp();
  const request = http.getRequest<OwnedRequest & { headers: Record<string, string | undefined> }>();
  return { reply: http.getResponse<HttpReply>(), owner: callerOwnerOf(request), idempotencyKey: request.headers['idempotency-key'] };
});
