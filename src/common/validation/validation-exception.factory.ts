import type { ValidationError } from 'class-validator';
import type { FieldError } from '../problems/field-error.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

/**
 * `ValidationPipe` errors → one `{ field, message }` per broken rule, with
 * dotted paths for nested values. The pipe must keep `value` in its errors
 * (`validationError.value`): that is how a missing field is told apart.
 */
export function validationExceptionFactory(errors: ValidationError[]): ValidationProblemException {
  return new ValidationProblemException(flatten(errors, ''));
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    // Absent, a required field's first broken rule is that it is missing, not its type or length.
    const own =
      error.value === undefined && error.constraints && !('whitelistValidation' in error.constraints)
        ? [{ field, message: 'is required' }]
        : Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
            field,
            message:
              rule === 'whitelistValidation' ? 'is not an accepted field' : stripSubject(message, error.property),
          }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** class-validator messages start with the property name; `errors[].message` does not repeat it. */
function stripSubject(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
