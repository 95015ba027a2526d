import { IsOptional } from 'class-validator';
import { strataValidationPipe } from '../http/strata-validation-pipe';
import { IsPageCursor } from './is-page-cursor.decorator';
import { encodeCursor, UUID_KEY } from './page-cursor';
import { DEFAULT_PAGE_LIMIT, PageLimitDto } from './page-limit.dto';

class ListQuery extends PageLimitDto {
  @IsOptional()
  @IsPageCursor(UUID_KEY)
  readonly cursor?: string;
}

const parse = (query: Record<string, string>) => strataValidationPipe().transform(query, { type: 'query', metatype: ListQuery }) as Promise<ListQuery>;

describe('PageLimitDto and IsPageCursor', () => {
  it('defaults the limit, and takes plain digits as a number', async () => {
    await expect(parse({})).resolves.toMatchObject({ limit: DEFAULT_PAGE_LIMIT });
    await expect(parse({ limit: '7' })).resolves.toMatchObject({ limit: 7 });
  });

  it.each(['0', '101', '1e1', '0x10', ' 5', 'ten'])('refuses limit=%p with the range in the message', async (limit) => {
    await expect(parse({ limit })).rejects.toMatchObject({ errors: [{ field: 'limit', message: 'limit must be a whole number from 1 to 100' }] });
  });

  it('accepts a cursor the endpoint made, and refuses any other, saying where one comes from', async () => {
    const cursor = encodeCursor('0b6e3c1a-8f7d-4c2e-9a1b-2c3d4e5f6a7b');
    await expect(parse({ cursor })).resolves.toMatchObject({ cursor });
    await expect(parse({ cursor: encodeCursor('x') })).rejects.toMatchObject({
      errors: [{ field: 'cursor', message: "cursor must be the 'next' of a page this endpoint returned; leave it out for the first page" }],
    });
  });
});
