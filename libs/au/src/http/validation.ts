import { ArgumentMetadata, BadRequestException, PipeTransform, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { WAIT_MAX_SECONDS, WaitQueryDto } from './task-query.dto';

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

/** `wait` as plain decimal seconds, e.g. `5` or `2.5`: a shape the full pipe turns into that number. */
const PLAIN_SECONDS = /^\d{1,2}(?:\.\d{1,3})?$/;

/** The full pipe of the queries that take `?wait=`, for what the shortcuts of `readWaitQuery` leave to it. */
const waitQueryPipe = createValidationPipe();

/**
 * A query that takes `?wait=` (`WaitQueryDto` or a subclass, every field optional) as its class, with two shortcuts
 * past class-transformer and class-validator, which would otherwise run on every submit: no query at all, as on most
 * submits, is valid as it is; a query of `wait` alone as plain decimal seconds up to WAIT_MAX_SECONDS is what the
 * full pipe would make of it. Both answer at once; anything else, every invalid query included, goes through the full
 * pipe (a promise) and gets its answer from there.
 */
export function readWaitQuery<T extends WaitQueryDto>(metatype: Type<T>, query: unknown): T | Promise<T> {
  if (query !== null && typeof query === 'object') {
    const keys = Object.keys(query);
    if (keys.length === 0) return NO_WAIT as T;
    const wait = (query as { wait?: unknown }).wait;
    if (keys.length === 1 && typeof wait === 'string' && PLAIN_SECONDS.test(wait) && Number(wait) <= WAIT_MAX_SECONDS) {
      return Object.assign(new metatype(), { wait: Number(wait) });
    }
  }
  return waitQueryPipe.transform(query, { type: 'query', metatype, data: undefined }) as Promise<T>;
}

/** The `?wait=` query pipe of the result route: `readWaitQuery` for the route's query class. */
export function createWaitQueryPipe(): PipeTransform<unknown, unknown> {
  return { transform: (value: unknown, { metatype }: ArgumentMetadata) => readWaitQuery(metatype ?? WaitQueryDto, value) };
}
