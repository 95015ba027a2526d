import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** The most items one page may hold. */
export const MAX_PAGE_LIMIT = 100;

/** How many items a page holds when the client does not say. */
export const DEFAULT_PAGE_LIMIT = 20;

const message = `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`;

// Query values arrive as text. Only plain digits become a number, so '1e1', '0x10' or ' 5' stay
// strings and fail IsInt instead of being read as some other number.
const digitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : value;

/** The `limit` query parameter every paged list takes. */
export class PageLimitDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @Transform(digitsToNumber)
  @Max(MAX_PAGE_LIMIT, { message })
  @Min(1, { message })
  @IsInt({ message })
  readonly limit: number = DEFAULT_PAGE_LIMIT;
}
