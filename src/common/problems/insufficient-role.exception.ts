import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception.js';
import { INSUFFICIENT_ROLE } from './problem-types.js';

/** A 403 `insufficient-role`: the caller is a member of the list, but their role is below `requiredRole`. */
export class InsufficientRoleException extends ProblemException {
  constructor(requiredRole: string) {
    super(INSUFFICIENT_ROLE, HttpStatus.FORBIDDEN, `This needs the ${requiredRole} role in the list`, {
      requiredRole,
    });
  }
}
