import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { INVITATION_ROLES, type InvitationRole } from '../list-role.js';

export class CreateInvitationDto {
  /** An `admin` invitation needs the owner. */
  @ApiProperty({ enum: INVITATION_ROLES, enumName: 'MemberRole' })
  @IsIn(INVITATION_ROLES, { message: `must be one of: ${INVITATION_ROLES.join(', ')}` })
  role!: InvitationRole;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 720, default: 168 })
  @Max(720)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  expiresInHours: number = 168;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 1 })
  @Max(1000)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  maxUses: number = 1;
}
