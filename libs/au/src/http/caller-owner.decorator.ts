import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Where AuOwnerGuard leaves the caller's owner on the request. */
export const AU_CALLER_OWNER = Symbol('au.callerOwner');

/** The request as au's routes see it, with the owner AuOwnerGuard found (when the app scopes tasks by owner). */
export interface OwnedRequest {
  [AU_CALLER_OWNER]?: string;
}

/** The caller's owner AuOwnerGuard left on `request`: undefined unless `forRoot({ owner })` is set. */
export function callerOwnerOf(request: OwnedRequest): string | undefined {
  return request[AU_CALLER_OWNER];
}

/** The caller's owner on an au route: undefined unless `forRoot({ owner })` is set. */
export const CallerOwner = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => callerOwnerOf(context.switchToHttp().getRequest<OwnedRequest>()),
);
