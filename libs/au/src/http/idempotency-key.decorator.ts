import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/**
 * The request's `Idempotency-Key` header, as sent (parsed and checked by TaskService). A decorator of au's own rather
 * than `@Headers()`, which Swagger would document as a second, required header beside the submit's optional one.
 */
export const IdempotencyKeyHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'],
);
