import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';
import { CURSOR_EXPIRED } from './problem-types.js';

/** A 410 `cursor-expired`: the changes after this cursor may have been purged; start again without one. */
export class CursorExpiredException extends ProblemException {
  constructor(retentionDays: number) {
    super(
      CURSOR_EXPIRED,
      HttpStatus.GONE,
      `The cursor is older than the ${retentionDays}-day retention of changes: read the feed again without a cursor`,
    );
  }
}
