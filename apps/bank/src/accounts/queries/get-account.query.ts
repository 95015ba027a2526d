import { Query } from '@nestjs/cqrs';
import type { AccountView } from './account.view';

/** One account, from the accounts read model. */
export class GetAccountQuery extends Query<AccountView> {
  constructor(readonly accountId: string) {
    super();
  }
}
