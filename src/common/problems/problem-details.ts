import type { FieldError } from './field-error.js';

/** RFC 9457 problem details, as every error response carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** The request's `X-Request-Id`; absent only in the answers of a service still starting. */
  requestId?: string;
  errors?: FieldError[];
}
