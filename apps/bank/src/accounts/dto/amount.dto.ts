import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** The largest amount one deposit or withdrawal may move, in minor units. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Body of deposits and withdrawals: a JSON integer amount in minor units. */
export class AmountDto {
  // IsInt refuses strings and fractions outright: the pipe never converts types implicitly.
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units (cents), a JSON integer.', example: 500 })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  readonly amount!: number;
}
