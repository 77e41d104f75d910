import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';
import { LIMIT_REACHED } from './problem-types.js';

/** A 409 `limit-reached` problem: a configured quota of the account is used up; `detail` names it. */
export class LimitReachedException extends ProblemException {
  constructor(message: string) {
    super(LIMIT_REACHED, HttpStatus.CONFLICT, message);
  }
}
