import { HttpStatus } from '@nestjs/common';
import type { FieldError } from './field-error.js';
import { ProblemException } from './problem.exception.js';
import { GENERIC_PROBLEM_TYPES } from './problem-types.js';

/**
 * At most this many entries in `errors[]`: a body of thousands of unknown keys
 * must not earn an answer ten times its size. The rest are counted in `detail`.
 */
export const MAX_LISTED_ERRORS = 20;

/** A 400 `validation-error` problem with its per-field `errors[]` (the first MAX_LISTED_ERRORS). */
export class ValidationProblemException extends ProblemException {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    const more = errors.length - listed.length;
    super(
      GENERIC_PROBLEM_TYPES[HttpStatus.BAD_REQUEST],
      HttpStatus.BAD_REQUEST,
      listed.map((error) => `${error.field} ${error.message}`).join('; ') + (more > 0 ? `; and ${more} more` : ''),
      { errors: listed },
    );
    this.errors = listed;
  }

  static of(field: string, message: string): ValidationProblemException {
    return new ValidationProblemException([{ field, message }]);
  }
}
