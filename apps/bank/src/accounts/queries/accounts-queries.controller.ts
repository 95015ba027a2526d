import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, ReadsCollections, UuidParamPipe, type Principal, ApiQueryEndpoint, type Page, UUID_KEY, POSITION_KEY, pageRequest } from '@strata/core';
import { AccountPageSchema, AccountViewSchema, TransactionPageSchema } from '../api/account-schemas';
import { ACCOUNTS_COLLECTION } from '../projections/account.document';
import { TRANSACTION_LEDGERS_COLLECTION, TRANSACTIONS_COLLECTION } from '../projections/transaction.documents';
import type { AccountView } from './account.view';
import { ListAccountsQueryDto } from './dto/list-accounts-query.dto';
import { TransactionsQueryDto } from './dto/transactions-query.dto';
import { GetAccountQuery } from './get-account.query';
import { ListAccountTransactionsQuery } from './list-account-transactions.query';
import { ListAccountsQuery } from './list-accounts.query';
import type { TransactionView } from './transaction.view';

/**
 * The account queries over HTTP. Each reads projected collections only; with `X-Strata-Position`
 * a request first waits until the projections writing those collections have reached it. With
 * auth on, a caller sees only their own accounts; another's answers 404, as a missing one does.
 */
@ApiTags('accounts')
@ApiQueryEndpoint()
@Controller('accounts')
export class AccountsQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadsCollections(ACCOUNTS_COLLECTION)
  @ApiOkResponse({ type: AccountPageSchema })
  list(@Query() query: ListAccountsQueryDto, @CurrentPrincipal() principal: Principal | undefined): Promise<Page<AccountView>> {
    const filter = { owner: query.owner, status: query.status, ...(principal && { viewer: principal.subject }) };
    return this.queryBus.execute(new ListAccountsQuery(filter, pageRequest(query.limit, query.cursor, UUID_KEY)));
  }

  @Get(':id')
  @ReadsCollections(ACCOUNTS_COLLECTION)
  @ApiOkResponse({ type: AccountViewSchema })
  @ApiProblems(404)
  get(@Param('id', UuidParamPipe) id: string, @CurrentPrincipal() principal: Principal | undefined): Promise<AccountView> {
    return this.queryBus.execute(new GetAccountQuery(id, principal?.subject));
  }

  @Get(':id/transactions')
  @ReadsCollections(TRANSACTIONS_COLLECTION, TRANSACTION_LEDGERS_COLLECTION)
  @ApiOkResponse({ type: TransactionPageSchema })
  @ApiProblems(404)
  transactions(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: TransactionsQueryDto,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<Page<TransactionView>> {
    return this.queryBus.execute(new ListAccountTransactionsQuery(id, pageRequest(query.limit, query.cursor, POSITION_KEY), principal?.subject));
  }
}
