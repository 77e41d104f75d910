import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiProperty({ example: 'must be between 1 and 200 characters' })
  message!: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: '/problems/not-found' })
  type!: string;

  @ApiProperty({ example: 'Not found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty({ example: 'Task not found' })
  detail!: string;

  @ApiProperty({ example: '/api/tasks/0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' })
  instance!: string;

  @ApiProperty({ example: 'c0a80101-4f3b-4a5e-9d1b-6f3f0e4b2a10' })
  requestId!: string;
}

export class ValidationProblemDetailsDto extends ProblemDetailsDto {
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors!: FieldErrorDto[];
}
