import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import type { WaitQueryDto } from './task-query.dto';

function collect(errors: ValidationError[], parent = '', out: Record<string, string[]> = {}) {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    if (error.children?.length) collect(error.children, path, out);
  }
  return out;
}

/**
 * au's validation: whitelist + forbidNonWhitelisted + transform. The 400 body lists every message and, under
 * `fields`, the messages of each bad field by path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = collect(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: Object.values(fields).flat(),
        fields,
      });
    },
  });
}

const NO_WAIT: Readonly<WaitQueryDto> = Object.freeze({});

/**
 * The `?wait=` query pipe. Most submits carry no query at all, and an empty query is valid as it is (every field is
 * optional), so it skips class-transformer and class-validator; any other query goes through the full pipe.
 */
export function createWaitQueryPipe(): PipeTransform<unknown, unknown> {
  const pipe = createValidationPipe();
  return {
    transform(value: unknown, metadata: ArgumentMetadata) {
      if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return NO_WAIT;
      return pipe.transform(value, metadata);
    },
  };
}
