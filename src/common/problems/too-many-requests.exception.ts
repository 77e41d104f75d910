import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 `rate-limited` problem; whoever throws it has set `Retry-After` to
 * `retryAfterSeconds`, and the detail says the same number, for people, after
 * what was limited (`Too many requests` unless said).
 */
export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number, what = 'Too many requests') {
    super(
      `${what}; try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
