import { UserResponseDto } from '../../users/dto/user-response.dto.js';
import { TokensDto } from './tokens.dto.js';

export class AuthResultDto {
  user!: UserResponseDto;
  tokens!: TokensDto;
}

export class AuthEnvelopeDto {
  data!: AuthResultDto;
}

export class SessionDto {
  user!: UserResponseDto;
  /** When the presented access token expires. */
  expiresAt!: Date;
}

export class SessionEnvelopeDto {
  data!: SessionDto;
}
