import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class TransferListDto {
  /** A member of the list: the new owner. */
  @ApiProperty({ format: 'uuid', example: '0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' })
  @IsUUID('all', { message: 'must be a UUID' })
  userId!: string;
}
