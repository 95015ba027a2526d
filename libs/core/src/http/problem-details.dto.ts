import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProblemDetails } from './problem-details';

/** One rejected input, as a 400 lists it (OpenAPI schema). */
export class FieldErrorDto {
  @ApiProperty({ description: 'A body property (dotted path), a path parameter, or a header name.', example: 'amount' })
  readonly field!: string;

  @ApiProperty({ example: 'amount must not be less than 1' })
  readonly message!: string;
}

/** The RFC 9457 problem document every error is answered with (OpenAPI schema of `ProblemDetails`). */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ description: 'A URN naming the problem, stable per code.', example: 'urn:strata:problem:insufficient-funds' })
  readonly type!: string;

  @ApiProperty({ description: 'The same for every occurrence of the code.', example: 'Insufficient funds' })
  readonly title!: string;

  @ApiProperty({ description: 'The HTTP status.', example: 422 })
  readonly status!: number;

  @ApiProperty({ description: 'What happened, the value involved, and what to do about it.', example: "Account '…' holds 300, less than the 1000 requested. Withdraw at most 300." })
  readonly detail!: string;

  @ApiPropertyOptional({ description: 'The request path.', example: '/accounts/0f8c…/withdrawals' })
  readonly instance?: string;

  @ApiPropertyOptional({ description: 'The machine-readable error code.', example: 'INSUFFICIENT_FUNDS' })
  readonly code?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On a 400: every rejected field.' })
  readonly errors?: FieldErrorDto[];
}
