import { ApiProperty } from '@nestjs/swagger';

export class CompleteAllResultDto {
  /** Tasks whose `completed` changed; those already in that state are left alone (version unchanged). */
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 })
  changed!: number;
}

export class CompleteAllEnvelopeDto {
  data!: CompleteAllResultDto;
}

export class ClearCompletedResultDto {
  /** Completed tasks deleted. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  deleted!: number;
}

export class ClearCompletedEnvelopeDto {
  data!: ClearCompletedResultDto;
}
