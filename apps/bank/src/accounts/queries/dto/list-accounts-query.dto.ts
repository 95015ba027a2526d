import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ACCOUNT_ID_KEY } from '../page-cursor';
import { IsPageCursor } from './is-page-cursor.decorator';
import { PageLimitDto } from './page-limit.dto';

const STATUSES = ['open', 'closed'] as const;

/** Query of `GET /accounts`: optional filters and a page; anything else is refused as unknown. */
export class ListAccountsQueryDto extends PageLimitDto {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  readonly owner?: string;

  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  readonly status?: (typeof STATUSES)[number];

  @IsOptional()
  @IsPageCursor(ACCOUNT_ID_KEY)
  readonly cursor?: string;
}
