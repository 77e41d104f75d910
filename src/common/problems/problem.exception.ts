import { HttpException, type HttpExceptionOptions } from '@nestjs/common';
import type { ProblemType } from './problem-types.js';

/**
 * An error that knows its RFC 9457 problem: its type (slug and title), its
 * status, its `detail` (the message) and any extension members (RFC 9457
 * §3.2, e.g. `errors`). The problem writer sends exactly these; subclasses
 * name the contract's specific problems.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problemType: ProblemType,
    status: number,
    detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    options?: HttpExceptionOptions,
  ) {
    super(detail, status, options);
  }
}
