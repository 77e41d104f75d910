import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { BoundedMap } from '../bounded-map.js';
import { PROTOTYPE_KEYS } from './prototype-keys.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { validationExceptionFactory } from './validation-exception.factory.js';

/** Validated query objects remembered per DTO class. */
const MAX_QUERIES_PER_CLASS = 1000;

/**
 * Bodies and queries are validated against their DTOs; unknown fields are a
 * 400 (shared/API.md: "Unknown body fields are a 400 on every route").
 */
export function createValidationPipe(): ValidationPipe {
  return new CachingValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    // `value` tells a missing field from a wrong one (validation-exception.factory); it is never sent or logged.
    validationError: { target: false, value: true },
    exceptionFactory: validationExceptionFactory,
  });
}

/**
 * A client repeats the same few query strings (a list's first page, its
 * filters) over and over; validating one with class-transformer and
 * class-validator was about 7% of a list request's CPU. A query that passed
 * is remembered by its exact parameters, and the same frozen DTO is handed
 * out again: handlers read queries, never write them (a write would throw).
 * Rejected queries are not remembered. Bodies are always validated.
 */
export class CachingValidationPipe extends ValidationPipe {
  private readonly queries = new Map<unknown, BoundedMap<string, unknown>>();

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    // Only whole query objects validated against a DTO class.
    if (metadata.type !== 'query' || !this.toValidate(metadata) || typeof value !== 'object' || value === null) {
      return super.transform(value, metadata);
    }
    // class-transformer skips these keys, so whitelisting never sees them: unknown like any other.
    const prototypeKeys = Object.keys(value).filter((name) => PROTOTYPE_KEYS.has(name));
    if (prototypeKeys.length > 0) {
      throw new ValidationProblemException(
        prototypeKeys.map((field) => ({ field, message: 'is not an accepted field' })),
      );
    }
    let known = this.queries.get(metatype);
    if (known === undefined) this.queries.set(metatype, (known = new BoundedMap(MAX_QUERIES_PER_CLASS)));
    const key = JSON.stringify(value);
    const cached = known.get(key);
    if (cached !== undefined) return cached;

    // `?tag=a&tag=b` arrives as an array; every parameter of this API takes one value
    // (checked on a miss only: a remembered query never holds an array).
    const repeated = Object.keys(value).filter((name) => Array.isArray((value as Record<string, unknown>)[name]));
    if (repeated.length > 0) {
      throw new ValidationProblemException(repeated.map((field) => ({ field, message: 'may appear once' })));
    }

    const validated: unknown = Object.freeze(await super.transform(value, metadata));
    known.set(key, validated);
    return validated;
  }
}
