import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { InsufficientRoleProblemDto } from './dto/insufficient-role-problem.dto.js';

/** Documents the `403 insufficient-role` of a list route, with its `requiredRole`. */
export const ApiInsufficientRole = (): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(InsufficientRoleProblemDto),
    ApiResponse({
      status: 403,
      description: 'Insufficient role',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(InsufficientRoleProblemDto) } } },
    }),
  );
