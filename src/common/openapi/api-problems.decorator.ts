import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { ProblemDetailsDto, ValidationProblemDetailsDto } from './problem-details.dto.js';

/** Documents the error statuses a route can answer, each as `application/problem+json`. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, ValidationProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_TYPES[status]?.title ?? 'Error',
        content: {
          'application/problem+json': {
            schema: {
              $ref: getSchemaPath(status === 400 ? ValidationProblemDetailsDto : ProblemDetailsDto),
            },
          },
        },
      }),
    ),
  );
}
