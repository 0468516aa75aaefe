import { ArgumentsHost, BadRequestException, Catch, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

interface BodyParserError {
  type?: string;
  limit?: number;
  message?: string;
}

/**
 * Body-parser failures (body over the limit, malformed JSON) are the caller's mistake: answer them as 413/400 with a
 * message naming the problem, without logging them as server errors. Everything else goes to Nest's handling.
 */
@Catch()
export class BodyParserErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(this.translate(exception), host);
  }

  private translate(exception: unknown): unknown {
    if (exception instanceof HttpException) return exception;
    const error = exception as BodyParserError | undefined;
    if (error?.type === 'entity.too.large') {
      return new PayloadTooLargeException(
        `Request body is larger than the limit of ${error.limit ?? 'the configured'} bytes (AU_MAX_BODY / maxBodyBytes)`,
      );
    }
    if (error?.type === 'entity.parse.failed') return new BadRequestException(`Malformed JSON body: ${error.message}`);
    return exception;
  }
}
