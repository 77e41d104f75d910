import { HttpStatus } from '@nestjs/common';
import type { FieldError } from './field-error.js';
import { ProblemException } from './problem.exception.js';
import { GENERIC_PROBLEM_TYPES } from './problem-types.js';

/** A 400 `validation-error` problem with its per-field `errors[]`. */
export class ValidationProblemException extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(
      GENERIC_PROBLEM_TYPES[HttpStatus.BAD_REQUEST],
      HttpStatus.BAD_REQUEST,
      errors.map((error) => `${error.field} ${error.message}`).join('; '),
      { errors },
    );
  }

  static of(field: string, message: string): ValidationProblemException {
    return new ValidationProblemException([{ field, message }]);
  }
}
