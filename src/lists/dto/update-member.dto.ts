import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { INVITATION_ROLES, type InvitationRole } from '../list-role.js';

export class UpdateMemberDto {
  /** Only the owner grants or revokes `admin`; ownership moves by a transfer. */
  @ApiProperty({ enum: INVITATION_ROLES, enumName: 'MemberRole' })
  @IsIn(INVITATION_ROLES, { message: `must be one of: ${INVITATION_ROLES.join(', ')}` })
  role!: InvitationRole;
}
