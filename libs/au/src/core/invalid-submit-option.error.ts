import { AuError } from './au.errors';

/** A submit option out of its range (`delayMs`, `priority`): the message names the option and the range. */
export class InvalidSubmitOptionError extends AuError {
  override name = 'InvalidSubmitOptionError';
  readonly status = 400;
  constructor(option: string, value: unknown, expected: string) {
    super(`${option} must be ${expected}; got ${String(value).slice(0, 64)}`);
  }
}
