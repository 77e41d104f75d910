import { HttpException } from '@nestjs/common';

/**
 * A problem whose type is not the status's default (`insufficient-role`, `limit-reached`), with the
 * extension members RFC 9457 §3.2 allows (`requiredRole`).
 */
export class TypedProblemException extends HttpException {
  constructor(
    status: number,
    readonly problemType: { slug: string; title: string },
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message, status);
  }
}
