import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

/** A path id that is not a UUID is a 400 validation problem naming the parameter. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => ValidationProblemException.of('id', 'must be a UUID'),
});
