import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  HttpServer,
  HttpStatus,
  PayloadTooLargeException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

interface BodyParserError {
  type?: string;
  limit?: number;
  message?: string;
}

/**
 * Body-parser failures (body over the limit, malformed JSON) are the caller's mistake: answer them as 413/400 with a
 * message naming the problem, without logging them as server errors. Everything else goes to Nest's handling.
 *
 * Express' body-parser errors arrive as they are (`type`, `limit`). Fastify's arrive already turned by Nest into a
 * bare `HttpException` with Fastify's status and message: its 413 (`FST_ERR_CTP_BODY_TOO_LARGE`, the only one Fastify
 * has) gets au's message naming `limit`, the limit setupAu gave Fastify's parsers. au's and Nest's own exceptions
 * are subclasses (`PayloadTooLargeException`), so they are left alone.
 */
@Catch()
export class BodyParserErrorsFilter extends BaseExceptionFilter {
  private readonly fastify: boolean;

  constructor(
    applicationRef: HttpServer,
    private readonly limit?: number,
  ) {
    super(applicationRef);
    this.fastify = applicationRef.getType() === 'fastify';
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(this.translate(exception), host);
  }

  private translate(exception: unknown): unknown {
    if (exception instanceof HttpException) return this.isFastifyBodyTooLarge(exception) ? tooLarge(this.limit) : exception;
    const error = exception as BodyParserError | undefined;
    if (error?.type === 'entity.too.large') return tooLarge(error.limit);
    if (error?.type === 'entity.parse.failed') return new BadRequestException(`Malformed JSON body: ${error.message}`);
    return exception;
  }

  private isFastifyBodyTooLarge(exception: HttpException): boolean {
    return this.fastify && exception.constructor === HttpException && exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE;
  }
}

function tooLarge(limit: number | undefined): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `Request body is larger than the limit of ${limit ?? 'the configured'} bytes (AU_MAX_BODY / maxBodyBytes)`,
  );
}
