import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from './validation-exception.factory.js';

/**
 * Bodies and queries are validated against their DTOs; unknown fields are a
 * 400 (shared/API.md: "Unknown body fields are a 400 on every route").
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationExceptionFactory,
  });
}
