import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class AcceptInvitationDto {
  /** The token the invitation showed once. Any token that cannot be used is a 404, whatever the reason. */
  @ApiProperty({ example: 'q8vH3cY0bJr2...' })
  @IsString()
  token!: string;
}
