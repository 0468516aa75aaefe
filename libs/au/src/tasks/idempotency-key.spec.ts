import { BadRequestException } from '@nestjs/common';
import { idempotencyClaim, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each([
    ['a UUID', '8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['one character', 'k', 'k'],
    ['255 characters', 'x'.repeat(255), 'x'.repeat(255)],
    ['spaces and punctuation', 'order 42: "retry" ~!', 'order 42: "retry" ~!'],
    ['a structured-field string', '"abc"', 'abc'],
  ])('takes %s', (_, raw, key) => {
    expect(parseIdempotencyKey(raw)).toBe(key);
  });

  it.each([
    ['empty', '', /is empty/],
    ['an empty quoted string', '""', /is empty/],
    ['256 characters', 'x'.repeat(256), /is 256 characters long/],
    ['a tab', 'a\tb', /control or non-ASCII/],
    ['a newline', 'a\nb', /control or non-ASCII/],
    ['DEL', 'a\x7fb', /control or non-ASCII/],
    ['a non-ASCII letter', 'café', /control or non-ASCII/],
    ['an array (repeated header)', ['a', 'b'], /not a single header value/],
  ])('answers 400 for %s, naming the problem', (_, raw, message) => {
    expect(() => parseIdempotencyKey(raw)).toThrow(BadRequestException);
    expect(() => parseIdempotencyKey(raw)).toThrow(message);
  });
});

describe('idempotencyClaim', () => {
  it('hashes the input canonically: key order does not matter, values do', () => {
    const a = idempotencyClaim('alice', 'k', 'task', { a: 1, b: { c: [1, 2], d: 'x' } });
    const b = idempotencyClaim('alice', 'k', 'task', { b: { d: 'x', c: [1, 2] }, a: 1 });
    expect(b).toEqual(a);
    expect(idempotencyClaim('alice', 'k', 'task', { a: 2, b: { c: [1, 2], d: 'x' } }).inputHash).not.toBe(a.inputHash);
  });

  it('scopes the key by owner, and the scope is a digest whatever the key holds', () => {
    const alice = idempotencyClaim('alice', 'k', 'task', {});
    expect(idempotencyClaim('bob', 'k', 'task', {}).scope).not.toBe(alice.scope);
    expect(idempotencyClaim(undefined, 'k', 'task', {}).scope).not.toBe(alice.scope);
    expect(idempotencyClaim(undefined, ' :*\\"', 'task', {}).scope).toMatch(/^[0-9a-f]{64}$/);
  });
});
