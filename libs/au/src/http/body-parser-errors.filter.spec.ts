import { ArgumentsHost, HttpException, HttpServer, PayloadTooLargeException } from '@nestjs/common';
import { BodyParserErrorsFilter } from './body-parser-errors.filter';

/** Runs the filter on a fake adapter of the given type; resolves with the status and body it replied. */
function answer(platform: 'express' | 'fastify', exception: unknown, limit?: number) {
  const replies: Array<{ body: any; status: number }> = [];
  const adapter = {
    getType: () => platform,
    isHeadersSent: () => false,
    reply: (_res: unknown, body: unknown, status: number) => replies.push({ body, status }),
  } as unknown as HttpServer;
  const host = { getArgByIndex: () => ({}) } as unknown as ArgumentsHost;
  new BodyParserErrorsFilter(adapter, limit).catch(exception, host);
  return replies[0];
}

describe('BodyParserErrorsFilter', () => {
  it('answers Express\' over-limit body error with 413 naming body-parser\'s limit', () => {
    const { status, body } = answer('express', { type: 'entity.too.large', limit: 4096 }, 1024);
    expect(status).toBe(413);
    expect(body).toMatchObject({ statusCode: 413, message: expect.stringContaining('limit of 4096 bytes') });
  });

  it('answers Fastify\'s over-limit body error (a bare 413 HttpException from Nest) with 413 naming the limit', () => {
    const { status, body } = answer('fastify', new HttpException('Request body is too large', 413), 4096);
    expect(status).toBe(413);
    expect(body).toMatchObject({ statusCode: 413, message: expect.stringContaining('limit of 4096 bytes') });
  });

  it('leaves a bare 413 alone on Express, and PayloadTooLargeException alone on Fastify', () => {
    expect(answer('express', new HttpException('mine', 413), 4096).body).toMatchObject({ message: 'mine' });
    expect(answer('fastify', new PayloadTooLargeException('mine too'), 4096).body).toMatchObject({ message: 'mine too' });
  });

  it('passes other HTTP errors through unchanged', () => {
    expect(answer('fastify', new HttpException('Bad URL', 400), 4096)).toEqual({ status: 400, body: { statusCode: 400, message: 'Bad URL' } });
  });
});
