import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { BoundedMap } from '../bounded-map.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { refuseUnknownFields } from './known-fields.js';
import { validationExceptionFactory } from './validation-exception.factory.js';

/** Validated query objects remembered per DTO class. */
const MAX_QUERIES_PER_CLASS = 1000;

/**
 * Bodies and queries are validated against their DTOs; unknown fields are a
 * 400 (docs/API.md: "Unknown body fields are a 400 on every route").
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
  private readonly parameters = new Map<unknown, ReadonlySet<string>>();

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    const plainObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    // Unknown fields are refused before class-transformer copies them (it would skip some: see known-fields).
    if (plainObject && metatype && this.toValidate(metadata) && metadata.type !== 'custom') {
      refuseUnknownFields(value, metatype as new () => unknown);
    }
    // Only whole query objects validated against a DTO class.
    if (metadata.type !== 'query' || !this.toValidate(metadata) || !plainObject) {
      return super.transform(value, metadata);
    }
    const query = this.withoutBlankValues(value as Record<string, unknown>, metatype as new () => object);
    let known = this.queries.get(metatype);
    if (known === undefined) this.queries.set(metatype, (known = new BoundedMap(MAX_QUERIES_PER_CLASS)));
    const key = JSON.stringify(query);
    const cached = known.get(key);
    if (cached !== undefined) return cached;

    // `?tag=a&tag=b` arrives as an array; every parameter of this API takes one value
    // (checked on a miss only: a remembered query never holds an array).
    const repeated = Object.keys(query).filter((name) => Array.isArray(query[name]));
    if (repeated.length > 0) {
      throw new ValidationProblemException(repeated.map((field) => ({ field, message: 'may appear once' })));
    }

    const validated: unknown = Object.freeze(await super.transform(query, metadata));
    known.set(key, validated);
    return validated;
  }

  /**
   * An empty or whitespace-only value of a declared parameter means "not given": HTML forms
   * send every field, `?q=&priority=` included, and a client must not have to prune them.
   * A blank parameter the DTO does not declare is still unknown (a 400).
   */
  private withoutBlankValues(query: Record<string, unknown>, metatype: new () => object): Record<string, unknown> {
    const declared = this.declaredParameters(metatype);
    const blank = (name: string) => declared.has(name) && typeof query[name] === 'string' && query[name].trim() === '';
    if (!Object.keys(query).some(blank)) return query;
    return Object.fromEntries(Object.entries(query).filter(([name]) => !blank(name)));
  }

  /** The parameters a query DTO declares: those its validation rules name, inherited ones included. */
  private declaredParameters(metatype: new () => object): ReadonlySet<string> {
    let names = this.parameters.get(metatype);
    if (names === undefined) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
      this.parameters.set(metatype, (names = new Set(rules.map((rule) => rule.propertyName))));
    }
    return names;
  }
}
