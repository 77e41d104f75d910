import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

/** `POST {base}/complete-all`: the state every matching task takes. */
export class CompleteAllDto {
  /** `true` completes the matching tasks, `false` makes them pending again. */
  @ApiProperty({ example: true })
  @IsBoolean()
  completed!: boolean;
}
