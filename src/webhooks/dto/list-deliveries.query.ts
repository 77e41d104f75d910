import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** `GET …/deliveries`: newest first, keyset-paginated. */
export class ListDeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Deliveries per page.' })
  @Transform(toInt)
  @Max(100)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  limit: number = 20;

  @ApiPropertyOptional({ maxLength: 200, description: 'The `meta.nextCursor` of the previous page. Opaque.' })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  cursor?: string;
}
