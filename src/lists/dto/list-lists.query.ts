import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** `GET /api/lists`: the caller's lists, oldest first (the default list leads), keyset-paginated. */
export class ListListsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 20,
    description: 'Page size: at most this many lists in `data`.',
  })
  @Transform(toInt)
  @Max(100)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  limit: number = 20;

  @ApiPropertyOptional({ maxLength: 1024, description: 'The `meta.nextCursor` of the previous page. Opaque.' })
  @IsOptional()
  @MaxLength(1024)
  @IsString()
  cursor?: string;
}
