import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { IsString, validate } from 'class-validator';
import { CodePointLength } from './code-point-length.decorator.js';
import { validationExceptionFactory } from './validation-exception.factory.js';

class Sample {
  @IsString()
  @CodePointLength(1, 3)
  name!: string;
}

async function errorsFor(body: object) {
  const errors = await validate(plainToInstance(Sample, body), { whitelist: true, forbidNonWhitelisted: true });
  return validationExceptionFactory(errors);
}

describe(validationExceptionFactory.name, () => {
  it('lists one field error per broken rule, without repeating the field name', async () => {
    const exception = await errorsFor({ name: 'abcd' });
    expect(exception.errors).toEqual([{ field: 'name', message: 'must be between 1 and 3 characters' }]);
    expect(exception.message).toBe('name must be between 1 and 3 characters');
  });

  it('says a missing field is required, rather than what type it should have', async () => {
    const exception = await errorsFor({});
    expect(exception.errors).toEqual([{ field: 'name', message: 'is required' }]);
    expect(exception.message).toBe('name is required');
  });

  it('reports unknown fields as not accepted', async () => {
    const exception = await errorsFor({ name: 'ab', admin: true });
    expect(exception.errors).toEqual([{ field: 'admin', message: 'is not an accepted field' }]);
  });

  it('counts code points, so three emoji fit in three characters', async () => {
    const errors = await validate(plainToInstance(Sample, { name: '😀😀😀' }));
    expect(errors).toEqual([]);
  });
});
