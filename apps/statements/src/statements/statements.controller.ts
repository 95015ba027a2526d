import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems, NotFoundError, ReadModels, UuidParamPipe } from '@strata/core';
import { SETTLEMENTS_COLLECTION, STATEMENTS_COLLECTION, type SettlementDocument, type StatementDocument } from './projections/statements.projection';

/** What this service knows of an account, from the bank's integration events. */
export interface StatementView {
  readonly accountId: string;
  readonly owner: string;
  readonly balance: number;
  readonly movements: number;
}

/** The statements and settlements read models over HTTP; they read nothing else. */
@ApiTags('statements')
@Controller()
export class StatementsController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('statements/:accountId')
  @ApiProblems(404)
  async statement(@Param('accountId', UuidParamPipe) accountId: string): Promise<StatementView> {
    const statement = await this.readModels.collection<StatementDocument>(STATEMENTS_COLLECTION).findOne({ _id: accountId });
    if (!statement) throw new NotFoundError('STATEMENT_NOT_FOUND', `No statement for account '${accountId}' yet: its bank.account-opened message has not arrived.`);
    return { accountId, owner: statement.owner, balance: statement.balance, movements: statement.movements };
  }

  @Get('settlements/:transferId')
  @ApiProblems(404)
  async settlement(@Param('transferId', UuidParamPipe) transferId: string): Promise<{ transferId: string; outcome: string; reason: string | null }> {
    const settlement = await this.readModels.collection<SettlementDocument>(SETTLEMENTS_COLLECTION).findOne({ _id: transferId });
    if (!settlement) throw new NotFoundError('SETTLEMENT_NOT_FOUND', `No settlement for transfer '${transferId}' yet.`);
    return { transferId, outcome: settlement.outcome, reason: settlement.reason };
  }
}
