import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { WaitQueryDto } from './task-query.dto';
import { createValidationPipe, createWaitQueryPipe } from './validation';

const metadata: ArgumentMetadata = { type: 'query', metatype: WaitQueryDto, data: undefined };

/** What a pipe answers: the value it resolves with, or the 400 body it rejects with. */
async function answer(transform: () => unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await transform() };
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return { error: (error as BadRequestException).getResponse() };
  }
}

describe('createWaitQueryPipe', () => {
  const waitPipe = createWaitQueryPipe();
  const fullPipe = createValidationPipe();

  it.each([
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
  ])('answers %s as the full validation pipe does', async (_, query) => {
    const fast = await answer(() => waitPipe.transform({ ...query }, metadata));
    const full = await answer(() => fullPipe.transform({ ...query }, metadata));
    expect(fast).toEqual(full);
  });

  it('hands the controller a WaitQueryDto with a number for plain decimal seconds', async () => {
    const value = await waitPipe.transform({ wait: '2.5' }, metadata);
    expect(value).toBeInstanceOf(WaitQueryDto);
    expect(value).toEqual({ wait: 2.5 });
  });

  it('names the field of an out-of-range wait in the 400 body', async () => {
    const { error } = await answer(() => waitPipe.transform({ wait: '31' }, metadata));
    expect(error).toMatchObject({ statusCode: 400, fields: { wait: ['wait must not be greater than 30'] } });
  });
});
