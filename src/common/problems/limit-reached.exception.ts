import { HttpException, HttpStatus } from '@nestjs/common';

/** A 409 `limit-reached` problem: a configured quota of the account is used up; `detail` names it. */
export class LimitReachedException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.CONFLICT);
  }
}
