import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';
import { IDEMPOTENCY_KEY_REUSED } from './problem-types.js';

/** A 422 `idempotency-key-reused` problem: the key was used before with another request body. */
export class IdempotencyKeyReusedException extends ProblemException {
  constructor(detail: string) {
    super(IDEMPOTENCY_KEY_REUSED, HttpStatus.UNPROCESSABLE_ENTITY, detail);
  }
}
