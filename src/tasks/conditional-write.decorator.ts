import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { problemResponse } from '../common/openapi/problem-response.js';
import { BodyValidationOutranked } from '../common/interceptors/body-validation-outranked.interceptor.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ApiResponseHeaders } from '../common/openapi/api-response-headers.decorator.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'Write only if the task’s `ETag` matches: one or more quoted ETags (`"3"`, `"3", "4"`) or `*` (any version). ' +
    'Strong comparison (RFC 9110): a weak tag (`W/"3"`) never matches, so it is a 412 like a stale one. ' +
    'A value of another form (`3`, unquoted) is a 400 `validation-error` on `If-Match`, answered after the 404.',
  example: '"3"',
};

export interface ConditionalWriteOptions {
  /** The route reads a body: it can also answer 413 and 415 (a rejected body still answers 404 or 412 first: `TaskPrecondition`). */
  body: boolean;
  /** The route answers with the task, and its new `ETag`. */
  returnsTask: boolean;
}

/**
 * A write to one task that honours `If-Match` (docs/API.md, "Tasks"):
 * documents the header, the new `ETag` and the 404/412 answers. The order of
 * those checks before the body's is the controller's `@ChecksBeforeBody`
 * (for a body the DTO rejects: `BodyValidationOutranked`).
 */
export function ConditionalWrite({ body, returnsTask }: ConditionalWriteOptions): MethodDecorator {
  return applyDecorators(
    ...(returnsTask ? [ApiResponseHeaders('ETag')] : []),
    ApiHeader(IF_MATCH),
    ApiProblems(400, 401, 404, 412, ...(body ? [413, 415] : [])),
    ApiInsufficientRole(),
    ...(body ? [UseInterceptors(BodyValidationOutranked)] : []),
  );
}

/** A write's `403 insufficient-role`: a `viewer` of the task's (or the named) list may only read. */
export const ApiInsufficientRole = (): MethodDecorator =>
  ApiResponse({
    status: 403,
    ...problemResponse(403),
    description:
      '`insufficient-role`, with `requiredRole: "editor"`: the caller is only a `viewer` of the list (under `/api/{userId}/tasks` also `forbidden`: another user’s id)',
  });
