import { BadRequestException, UnprocessableEntityException } from '@nestjs/common';

/** An `Idempotency-Key` that is not 1 to 255 printable ASCII characters. */
export class InvalidIdempotencyKeyException extends BadRequestException {
  constructor(reason: string) {
    super(`Idempotency-Key ${reason}; it must be 1 to 255 printable ASCII characters`);
  }
}

/** The key was first used for another request: another task, or the same task with another input. */
export class IdempotencyKeyReusedException extends UnprocessableEntityException {
  constructor(what: string, id: string) {
    super(`Idempotency-Key was first used ${what} (task ${id}); use a new key for a new request`);
  }
}
