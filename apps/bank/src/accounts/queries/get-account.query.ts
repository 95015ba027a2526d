import { Query } from '@nestjs/cqrs';
import type { AccountView } from './account.view';

/** One account, from the accounts read model; with a `viewer` (auth on), only if it is theirs. */
export class GetAccountQuery extends Query<AccountView> {
  constructor(
    readonly accountId: string,
    readonly viewer?: string,
  ) {
    super();
  }
}
