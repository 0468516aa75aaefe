import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import { InvalidCursorError, StoreUnavailableError } from '../core/au.errors';
import { AuErrorsFilter } from './au-errors.filter';

/** Runs the filter on a fake adapter; resolves with the status and body it replied. */
function answer(exception: InvalidCursorError | StoreUnavailableError) {
  const replies: Array<{ body: unknown; status: number }> = [];
  const adapter = {
    isHeadersSent: () => false,
    reply: (_res: unknown, body: unknown, status: number) => replies.push({ body, status }),
  } as unknown as HttpServer;
  const host = { getArgByIndex: () => ({}) } as unknown as ArgumentsHost;
  new AuErrorsFilter(adapter).catch(exception, host);
  return replies[0];
}

describe('AuErrorsFilter', () => {
  it('answers an invalid cursor with 400 naming it', () => {
    expect(answer(new InvalidCursorError('zzz'))).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: expect.stringContaining('cursor "zzz" is not valid') },
    });
  });

  it('answers an unreachable store with 503 saying what was tried', () => {
    expect(answer(new StoreUnavailableError('read the task'))).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'Task storage (Redis) is unreachable while trying to read the task; retry later' },
    });
  });
});
