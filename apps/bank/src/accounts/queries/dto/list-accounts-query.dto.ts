import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { UUID_KEY, IsPageCursor, PageLimitDto } from '@strata/core';

const STATUSES = ['open', 'closed'] as const;

/** Query of `GET /accounts`: optional filters and a page; anything else is refused as unknown. */
export class ListAccountsQueryDto extends PageLimitDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Only this owner\'s accounts (with auth on, only yours are listed anyway).' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  readonly owner?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  readonly status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ description: "The 'next' of the previous page." })
  @IsOptional()
  @IsPageCursor(UUID_KEY)
  readonly cursor?: string;
}
