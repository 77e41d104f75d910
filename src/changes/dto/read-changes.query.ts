import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Strict integer parsing: "10abc" or "1e1" is not 10. */
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** `GET /api/changes` query parameters. */
export class ReadChangesQuery {
  @ApiPropertyOptional({
    maxLength: 12288,
    description:
      'The `meta.cursor` of the previous page. Opaque and bound to the caller; without it, the feed starts with everything the caller can see, as upserts.',
  })
  @IsOptional()
  @MaxLength(12288)
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 500,
    default: 100,
    description: 'At most this many changes in `data`.',
  })
  @Transform(toInt)
  @Max(500)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  limit: number = 100;
}
