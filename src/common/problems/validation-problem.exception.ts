import { BadRequestException } from '@nestjs/common';
import type { FieldError } from './field-error.js';

/** A 400 `validation-error` problem with its per-field `errors[]`. */
export class ValidationProblemException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field} ${error.message}`).join('; '));
  }

  static of(field: string, message: string): ValidationProblemException {
    return new ValidationProblemException([{ field, message }]);
  }
}
