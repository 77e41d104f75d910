import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';
import { MALFORMED_REQUEST } from './problem-types.js';

/** A 400 `malformed-request` problem: the request or its body could not be parsed at all. */
export class MalformedRequestException extends ProblemException {
  constructor(detail: string) {
    super(MALFORMED_REQUEST, HttpStatus.BAD_REQUEST, detail);
  }
}
