import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 `rate-limited` problem; whoever throws it has set `Retry-After`. */
export class TooManyRequestsException extends HttpException {
  constructor(message = 'Too many requests; retry later') {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
