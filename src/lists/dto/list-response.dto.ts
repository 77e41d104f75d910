import { ApiProperty } from '@nestjs/swagger';
import { INVITATION_ROLES } from '../list-role.js';

const LIST_ROLE_VALUES = ['owner', 'admin', 'editor', 'viewer'];

export class ListResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ minLength: 1, maxLength: 100 })
  name!: string;
  @ApiProperty({ type: String, nullable: true, example: '#3b82f6' })
  color!: string | null;
  /** The caller's "Inbox": it cannot be deleted or shared. */
  isDefault!: boolean;
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;
  /** The caller's role. */
  @ApiProperty({ enum: LIST_ROLE_VALUES, enumName: 'ListRole' })
  role!: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  memberCount!: number;
  /** Rises on every change a member can see (name, colour, members, roles, owner); the `ETag` is `"<version>"`. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

export class ListEnvelopeDto {
  data!: ListResponseDto;
}

export class ListPageMetaDto {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  limit!: number;
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ListPageEnvelopeDto {
  data!: ListResponseDto[];
  meta!: ListPageMetaDto;
}

export class MemberResponseDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;
  @ApiProperty({ type: String, nullable: true })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;
  @ApiProperty({ enum: LIST_ROLE_VALUES, enumName: 'ListRole' })
  role!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  joinedAt!: string;
}

export class MemberEnvelopeDto {
  data!: MemberResponseDto;
}

export class MemberListEnvelopeDto {
  data!: MemberResponseDto[];
}

export class InvitationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: INVITATION_ROLES, enumName: 'MemberRole' })
  role!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  maxUses!: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  uses!: number;
  @ApiProperty({ format: 'uuid' })
  createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class CreatedInvitationDto extends InvitationResponseDto {
  /** Shown this once: only its hash is stored. */
  token!: string;
}

export class CreatedInvitationEnvelopeDto {
  data!: CreatedInvitationDto;
}

export class InvitationEnvelopeDto {
  data!: InvitationResponseDto;
}

export class InvitationListEnvelopeDto {
  data!: InvitationResponseDto[];
}
