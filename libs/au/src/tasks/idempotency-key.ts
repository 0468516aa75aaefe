import stableStringify from 'fast-json-stable-stringify';
import { createHash } from 'node:crypto';
import { InvalidIdempotencyKeyException } from './idempotency.exceptions';

/** 1 to 255 printable ASCII characters (space to tilde). */
const PRINTABLE = /^[\x20-\x7e]{1,255}$/;

/**
 * A submit's claim on an idempotency key, as a store records it: `scope` names owner and key together (a digest, so
 * any key makes a tidy store key), and `task` and `inputHash` tell a true repeat from a reuse of the key.
 */
export interface IdempotencyClaim {
  scope: string;
  task: string;
  inputHash: string;
}

/** What a store answers a claim: the new record is stored, or the key is held by an earlier task. */
export type ClaimAnswer = { created: true } | { created: false; id: string; task: string; inputHash: string };

/**
 * The key as the IETF httpapi draft sends it (a structured-field string: `"…"`) or bare; throws
 * `InvalidIdempotencyKeyException` (400) unless 1 to 255 printable ASCII characters remain.
 */
export function parseIdempotencyKey(raw: unknown): string {
  if (typeof raw !== 'string') throw new InvalidIdempotencyKeyException('is not a single header value');
  const key = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (key.length === 0) throw new InvalidIdempotencyKeyException('is empty');
  if (key.length > 255) throw new InvalidIdempotencyKeyException(`is ${key.length} characters long`);
  if (!PRINTABLE.test(key)) throw new InvalidIdempotencyKeyException('holds a control or non-ASCII character');
  return key;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The claim of `key` by `owner` for a task and its (validated) input, hashed as canonical JSON (sorted keys). */
export function idempotencyClaim(owner: string | undefined, key: string, task: string, input: unknown): IdempotencyClaim {
  return {
    scope: sha256(JSON.stringify([owner ?? null, key])),
    task,
    inputHash: sha256(stableStringify(input ?? null)),
  };
}
