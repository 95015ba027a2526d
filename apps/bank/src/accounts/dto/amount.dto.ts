import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** The largest amount one deposit or withdrawal may move, in minor units. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Body of deposits and withdrawals: a JSON integer amount in minor units. */
export class AmountDto {
  // IsInt refuses strings and fractions outright: the pipe never converts types implicitly.
  // It sits nearest the property because class-validator checks from there outwards, and the
  // pipe reports each field's first failure.
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units (cents), a JSON integer.', example: 500 })
  @Max(MAX_AMOUNT)
  @Min(1)
  @IsInt()
  readonly amount!: number;
}
