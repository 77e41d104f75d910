import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  /** The offending field (`body` when the body as a whole is wrong). */
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiProperty({ example: 'must be between 1 and 200 characters' })
  message!: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemDetailsDto {
  /** Ends with the problem's slug (the prefix is configurable). */
  @ApiProperty({ format: 'uri-reference', example: '/problems/not-found' })
  type!: string;

  @ApiProperty({ example: 'Not found' })
  title!: string;

  /** The HTTP status, repeated. */
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  status!: number;

  @ApiProperty({ example: 'Task not found' })
  detail!: string;

  /** The request path, without the query string. */
  @ApiProperty({ format: 'uri-reference', example: '/api/tasks/0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' })
  instance!: string;

  /** Same as the `X-Request-Id` response header; quote it when reporting a problem. */
  @ApiProperty({ example: 'c0a80101-4f3b-4a5e-9d1b-6f3f0e4b2a10' })
  requestId!: string;
}

/**
 * A `400`: `validation-error` (with `errors`) or `malformed-request` (the body
 * is not JSON; no `errors`).
 */
export class ValidationProblemDetailsDto extends ProblemDetailsDto {
  @ApiProperty({ format: 'uri-reference', example: '/problems/validation-error' })
  override type!: string;

  @ApiProperty({ example: 'Validation failed' })
  override title!: string;

  @ApiProperty({ type: 'integer', enum: [400], example: 400 })
  override status!: number;

  @ApiProperty({ example: 'title must be between 1 and 200 characters' })
  override detail!: string;

  @ApiProperty({ format: 'uri-reference', example: '/api/tasks' })
  override instance!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}
