import { AggregateHandle, Inbox, InjectDecider, type InboxContext, type InboxHandler, type InboxMessage } from '@strata/core';
import { settlementDecider, statementDecider, type SettlementCommand, type StatementCommand, type StatementState } from '../statement.decider';
import type { SettlementRecorded, StatementEvent } from '../statement.events';
import { AccountOpenedV1, MoneyMovedV1, TransferSettledV1, type BankContract } from './bank.contracts';

/**
 * The bank's integration events, turned into this service's commands. Each command takes its
 * id from the message (`ctx.command()`), so a message the broker delivers twice records once.
 */
@Inbox({ name: 'statements', events: [AccountOpenedV1, MoneyMovedV1, TransferSettledV1] })
export class BankEventsInbox implements InboxHandler<BankContract> {
  constructor(
    @InjectDecider(statementDecider) private readonly statements: AggregateHandle<StatementCommand, StatementEvent, StatementState>,
    @InjectDecider(settlementDecider) private readonly settlements: AggregateHandle<SettlementCommand, SettlementRecorded, { readonly settled: boolean }>,
  ) {}

  async handle(message: InboxMessage<BankContract>, ctx: InboxContext): Promise<void> {
    switch (message.type) {
      case 'bank.account-opened':
        await this.statements.handle(message.data.accountId, { type: 'OpenStatement', ...message.data }, ctx.command());
        return;
      case 'bank.money-moved':
        await this.statements.handle(message.data.accountId, { type: 'RecordMovement', ...message.data }, ctx.command());
        return;
      case 'bank.transfer-settled':
        await this.settlements.handle(message.data.transferId, { type: 'RecordSettlement', ...message.data }, ctx.command());
        return;
    }
  }
}
