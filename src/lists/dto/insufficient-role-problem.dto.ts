import { ApiProperty } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../../common/openapi/problem-details.dto.js';

/** A `403 insufficient-role`: the caller is a member, but their role is too low for the operation. */
export class InsufficientRoleProblemDto extends ProblemDetailsDto {
  /** The lowest role that may do this. */
  @ApiProperty({ enum: ['owner', 'admin', 'editor', 'viewer'], enumName: 'ListRole', example: 'admin' })
  requiredRole!: string;
}
