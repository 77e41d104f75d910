import { describe, expect, it } from '@jest/globals';
import { IsOptional, IsString } from 'class-validator';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { refuseUnknownFields } from './known-fields.js';

class Base {
  @IsString()
  title!: string;
}

class Child extends Base {
  @IsOptional()
  @IsString()
  note?: string;
}

function refusal(value: object): ValidationProblemException | undefined {
  try {
    refuseUnknownFields(value, Child);
    return undefined;
  } catch (error) {
    return error as ValidationProblemException;
  }
}

describe('refuseUnknownFields', () => {
  it('accepts the fields of the class and of its parents', () => {
    expect(refusal({ title: 'x', note: 'y' })).toBeUndefined();
  });

  it('refuses names of Object.prototype members, own or not', () => {
    const body = JSON.parse('{"title":"x","hasOwnProperty":1,"__proto__":{},"toString":2}') as object;
    expect(refusal(body)?.errors.map((error) => error.field)).toEqual(['hasOwnProperty', '__proto__', 'toString']);
  });

  it('lists the first 20 unknown fields and counts the rest', () => {
    const body = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, i]));
    const problem = refusal(body);
    expect(problem?.errors).toHaveLength(20);
    expect(problem?.message).toMatch(/; and 5 more$/);
  });
});
