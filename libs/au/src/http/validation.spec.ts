import { ArgumentMetadata, BadRequestException, Type } from '@nestjs/common';
import { SubmitQueryDto, WaitQueryDto } from './task-query.dto';
import { createValidationPipe, createWaitQueryPipe, readWaitQuery } from './validation';

const metadataOf = (metatype: Type<unknown>): ArgumentMetadata => ({ type: 'query', metatype, data: undefined });

/** What a query read answers: the value it gives (at once or resolved), or the 400 body it rejects with. */
async function answer(read: () => unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await read() };
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return { error: (error as BadRequestException).getResponse() };
  }
}

const waitQueries: [string, Record<string, unknown>][] = [
  ['no query', {}],
  ['whole seconds', { wait: '5' }],
  ['zero', { wait: '0' }],
  ['the maximum', { wait: '30' }],
  ['a leading zero', { wait: '07' }],
  ['a fraction', { wait: '2.5' }],
  ['a fraction below the maximum', { wait: '29.999' }],
  ['a fraction past the maximum', { wait: '30.5' }],
  ['past the maximum', { wait: '31' }],
  ['negative', { wait: '-1' }],
  ['not a number', { wait: 'soon' }],
  ['empty', { wait: '' }],
  ['spaces', { wait: ' 5 ' }],
  ['an exponent', { wait: '1e1' }],
  ['hexadecimal', { wait: '0x10' }],
  ['repeated', { wait: ['1', '2'] }],
  ['an unknown field as well', { wait: '5', extra: 'x' }],
  ['an unknown field alone', { extra: 'x' }],
];

const submitQueries: [string, Record<string, unknown>][] = [
  ...waitQueries,
  ['a delay', { delay: '1.5' }],
  ['a priority with a wait', { wait: '5', priority: '3' }],
  ['a delay past its maximum', { delay: '2592001' }],
  ['a fractional priority', { priority: '1.5' }],
  ['a priority of zero and a bad wait', { priority: '0', wait: 'x' }],
];

describe('readWaitQuery', () => {
  const fullPipe = createValidationPipe();

  const casesOf = (metatype: Type<WaitQueryDto>, queries: [string, Record<string, unknown>][]) =>
    queries.map(([what, query]): [string, string, Record<string, unknown>, Type<WaitQueryDto>] => [metatype.name, what, query, metatype]);

  it.each([...casesOf(WaitQueryDto, waitQueries), ...casesOf(SubmitQueryDto, submitQueries)])(
    'reads a %s from %s as the full validation pipe does',
    async (_, __, query, metatype) => {
      const read = await answer(() => readWaitQuery(metatype, { ...query }));
      const full = await answer(() => fullPipe.transform({ ...query }, metadataOf(metatype)));
      expect(read).toEqual(full);
    },
  );

  it('answers no query and plain decimal seconds at once, with an instance of the class and a number', () => {
    expect(readWaitQuery(SubmitQueryDto, {})).toEqual({});
    const read = readWaitQuery(SubmitQueryDto, { wait: '2.5' });
    expect(read).toBeInstanceOf(SubmitQueryDto);
    expect(read).toEqual({ wait: 2.5 });
  });

  it('names the field of an out-of-range wait in the 400 body', async () => {
    const { error } = await answer(() => readWaitQuery(WaitQueryDto, { wait: '31' }));
    expect(error).toMatchObject({ statusCode: 400, fields: { wait: ['wait must not be greater than 30'] } });
  });

  it('is what the result route\'s pipe reads its query with', async () => {
    expect(await createWaitQueryPipe().transform({ wait: '3' }, metadataOf(WaitQueryDto))).toEqual({ wait: 3 });
  });
});
