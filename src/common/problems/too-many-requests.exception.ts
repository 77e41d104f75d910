import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 `rate-limited` problem; whoever throws it has set `Retry-After` to
 * `retryAfterSeconds`, and the detail says the same number, for people.
 */
export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      `Too many requests; try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
