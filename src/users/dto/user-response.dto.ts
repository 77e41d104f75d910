import { ApiProperty } from '@nestjs/swagger';
import type { UserRow } from '../users.repository.js';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' })
  id!: string;
  /** Null for an account provisioned from an identity provider whose emails are not trusted. */
  @ApiProperty({ type: String, nullable: true, format: 'email', maxLength: 254, example: 'ada@example.com' })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true, minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  name!: string | null;
  @ApiProperty({ type: Date })
  createdAt!: string;
  @ApiProperty({ type: Date })
  updatedAt!: string;

  static from(user: UserRow): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }
}

export class UserEnvelopeDto {
  data!: UserResponseDto;
}
