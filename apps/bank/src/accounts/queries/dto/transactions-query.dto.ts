import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { POSITION_KEY, IsPageCursor, PageLimitDto } from '@strata/core';

/** Query of `GET /accounts/{id}/transactions`: a page; anything else is refused as unknown. */
export class TransactionsQueryDto extends PageLimitDto {
  @ApiPropertyOptional({ description: "The 'next' of the previous page." })
  @IsOptional()
  @IsPageCursor(POSITION_KEY)
  readonly cursor?: string;
}
