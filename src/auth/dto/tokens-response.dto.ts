import { TokensDto } from './tokens.dto.js';

export class TokensResultDto {
  tokens!: TokensDto;
}

export class TokensEnvelopeDto {
  data!: TokensResultDto;
}
