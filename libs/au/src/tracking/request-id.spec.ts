import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { assignRequestId, sanitizeRequestId } from './request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sanitizeRequestId', () => {
  it.each([
    'abc',
    'req-123',
    'a.b_c:d-e',
    'ABCdef0123456789',
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    'x',
    'a'.repeat(128),
  ])('keeps the sane value %j', (value) => {
    expect(sanitizeRequestId(value)).toBe(value);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['a space', 'has space'],
    ['a leading space', ' abc'],
    ['a newline (header injection)', 'abc\r\nSet-Cookie: x=1'],
    ['a NUL', 'abc\u0000'],
    ['a tab', 'a\tb'],
    ['markup', '<script>alert(1)</script>'],
    ['quotes', '"abc"'],
    ['separators', 'a;b,c'],
    ['a slash', '../etc/passwd'],
    ['non-ASCII', 'réq-ü'],
    ['an emoji', 'req-🙂'],
  ])('replaces a value with %s by a new UUIDv4', (_, value) => {
    const sanitized = sanitizeRequestId(value);
    expect(sanitized).toMatch(UUID_V4);
    expect(sanitized).not.toBe(value);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { id: 'abc' }],
    ['an empty array', []],
  ])('makes a UUIDv4 when the header is %s', (_, value) => {
    expect(sanitizeRequestId(value)).toMatch(UUID_V4);
  });

  it('takes the first of repeated headers, judged like a single one', () => {
    expect(sanitizeRequestId(['first-id', 'second-id'])).toBe('first-id');
    expect(sanitizeRequestId(['<bad>', 'good'])).toMatch(UUID_V4);
  });

  it('makes a different id each time', () => {
    expect(sanitizeRequestId(undefined)).not.toBe(sanitizeRequestId(undefined));
  });
});

describe('assignRequestId', () => {
  const exchange = (header?: string) => {
    const req = new IncomingMessage(new Socket());
    if (header !== undefined) req.headers['x-request-id'] = header;
    return { req, res: new ServerResponse(req) };
  };

  it('puts the sane caller id on the response and returns it', () => {
    const { req, res } = exchange('req-1');
    expect(assignRequestId(req, res)).toBe('req-1');
    expect(res.getHeader('X-Request-ID')).toBe('req-1');
  });

  it('replaces a hostile caller id by a UUIDv4 on the response', () => {
    const { req, res } = exchange('<script>');
    const id = assignRequestId(req, res);
    expect(id).toMatch(UUID_V4);
    expect(res.getHeader('X-Request-ID')).toBe(id);
  });

  it('is idempotent: a second call in the same request keeps the id the first one set', () => {
    const { req, res } = exchange();
    const first = assignRequestId(req, res);
    expect(assignRequestId(req, res)).toBe(first);
    expect(res.getHeader('X-Request-ID')).toBe(first);
  });
});
