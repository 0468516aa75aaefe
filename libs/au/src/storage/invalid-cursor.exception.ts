import { BadRequestException } from '@nestjs/common';

/** A `cursor` query value that no page of this list produced. */
export class InvalidCursorException extends BadRequestException {
  constructor(cursor: string) {
    super(`cursor "${cursor.slice(0, 64)}" is not valid for this list; pass the nextCursor of a previous page`);
  }
}
