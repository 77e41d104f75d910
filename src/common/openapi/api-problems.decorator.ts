import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import { ProblemDetailsDto, ValidationProblemDetailsDto } from './problem-details.dto.js';
import { problemResponse } from './problem-response.js';

/**
 * Documents the error statuses particular to a route, each as
 * `application/problem+json`. The statuses every route of a kind can answer
 * (401 when authenticated, 400/413/415 with a body, 500, 503) are added to the
 * whole document by `finalizeDocument`, so they need not be listed here.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, ValidationProblemDetailsDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}
