import { getMetadataStorage } from 'class-validator';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

/** The fields each DTO class accepts: those class-validator's whitelist knows (any rule, @IsOptional included). */
const fieldsByClass = new WeakMap<object, ReadonlySet<string>>();

function knownFieldsOf(metatype: new () => unknown): ReadonlySet<string> {
  let known = fieldsByClass.get(metatype);
  if (known === undefined) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
    known = new Set(rules.map((rule) => rule.propertyName));
    fieldsByClass.set(metatype, known);
  }
  return known;
}

/**
 * Refuses a plain body or query that names a field its DTO does not have,
 * before class-transformer sees it. Two reasons: class-transformer copies every
 * key of the input (and its nested values) into the DTO before the whitelist
 * rejects them, which made a body of thousands of unknown keys cost 100 ms of
 * CPU; and it silently skips keys named like an inherited member
 * (`hasOwnProperty`, `toString`, `valueOf`…), so the whitelist never saw those.
 * Names are looked up in a Set: no key, `__proto__` included, reaches a prototype.
 */
export function refuseUnknownFields(value: object, metatype: new () => unknown): void {
  const known = knownFieldsOf(metatype);
  const unknown: string[] = [];
  for (const field of Object.keys(value)) if (!known.has(field)) unknown.push(field);
  if (unknown.length > 0) {
    throw new ValidationProblemException(unknown.map((field) => ({ field, message: 'is not an accepted field' })));
  }
}
