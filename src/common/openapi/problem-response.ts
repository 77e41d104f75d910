import { getSchemaPath, type ResponseObject } from '@nestjs/swagger';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { ProblemDetailsDto, ValidationProblemDetailsDto } from './problem-details.dto.js';
import { headerRef, type ResponseHeaderName } from './response-headers.js';

/** Headers the contract sends along with some problems. */
const PROBLEM_HEADERS: Partial<Record<number, ResponseHeaderName[]>> = {
  401: ['WWW-Authenticate'],
  429: ['Retry-After'],
  503: ['Retry-After'],
};

/** An error response as the OpenAPI document describes it: problem+json, and its headers. */
export function problemResponse(status: number): ResponseObject {
  const headers = PROBLEM_HEADERS[status];
  return {
    description: PROBLEM_TYPES[status]?.title ?? 'Error',
    ...(headers && { headers: Object.fromEntries(headers.map((name) => [name, headerRef(name)])) }),
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(status === 400 ? ValidationProblemDetailsDto : ProblemDetailsDto) },
      },
    },
  };
}
