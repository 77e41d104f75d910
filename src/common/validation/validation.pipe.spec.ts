import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { createValidationPipe } from './validation.pipe.js';

class SampleQuery {
  @IsIn(['asc', 'desc'])
  order: string = 'desc';

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

const asQuery: ArgumentMetadata = { type: 'query', metatype: SampleQuery };
const asBody: ArgumentMetadata = { type: 'body', metatype: SampleQuery };

describe('createValidationPipe', () => {
  it('validates a query once, then hands out the same frozen DTO for the same parameters', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({ limit: '5' }, asQuery);
    const second = await pipe.transform({ limit: '5' }, asQuery);

    expect(first).toBeInstanceOf(SampleQuery);
    expect(first).toEqual({ order: 'desc', limit: 5 });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('validates other parameters on their own', async () => {
    const pipe = createValidationPipe();
    const five = await pipe.transform({ limit: '5' }, asQuery);
    const six = await pipe.transform({ limit: '6' }, asQuery);
    expect(six).not.toBe(five);
    expect(six).toEqual({ order: 'desc', limit: 6 });
  });

  it('rejects a bad query every time it comes', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ limit: '500' }, asQuery)).rejects.toThrow(ValidationProblemException);
    await expect(pipe.transform({ limit: '500' }, asQuery)).rejects.toThrow(ValidationProblemException);
    await expect(pipe.transform({ limit: '5', extra: 'x' }, asQuery)).rejects.toThrow(ValidationProblemException);
  });

  it('says a repeated parameter may appear once', async () => {
    const pipe = createValidationPipe();
    const rejection = pipe.transform({ order: ['asc', 'desc'], limit: '5' }, asQuery);
    await expect(rejection).rejects.toThrow(ValidationProblemException);
    await expect(rejection).rejects.toMatchObject({ errors: [{ field: 'order', message: 'may appear once' }] });
  });

  it('takes an empty or whitespace-only parameter as not given (what an HTML form sends)', async () => {
    const pipe = createValidationPipe();
    expect(await pipe.transform({ order: '', limit: '' }, asQuery)).toEqual({ order: 'desc', limit: 20 });
    expect(await pipe.transform({ order: ' \t', limit: '7' }, asQuery)).toEqual({ order: 'desc', limit: 7 });
    expect(await pipe.transform({ order: 'asc', limit: '\u00a0' }, asQuery)).toEqual({ order: 'asc', limit: 20 });
  });

  it('still rejects a blank parameter the query does not declare, and a value that is not blank', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ extra: '' }, asQuery)).rejects.toMatchObject({
      errors: [{ field: 'extra', message: 'is not an accepted field' }],
    });
    await expect(pipe.transform({ order: 'up' }, asQuery)).rejects.toThrow(ValidationProblemException);
    await expect(pipe.transform({ order: ['', ''] }, asQuery)).rejects.toMatchObject({
      errors: [{ field: 'order', message: 'may appear once' }],
    });
  });

  it('leaves blank body fields to the rules', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ order: '' }, asBody)).rejects.toThrow(ValidationProblemException);
  });

  it('validates every body anew', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({ limit: 5 }, asBody);
    const second = await pipe.transform({ limit: 5 }, asBody);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(false);
  });

  it('leaves a query without a DTO class as it came', async () => {
    const pipe = createValidationPipe();
    const raw = { anything: 'goes' };
    expect(await pipe.transform(raw, { type: 'query', metatype: Object })).toBe(raw);
    expect(Object.isFrozen(raw)).toBe(false);
  });
});
