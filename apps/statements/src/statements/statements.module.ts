import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { BankEventsInbox } from './inbox/bank-events.inbox';
import { StatementsProjection } from './projections/statements.projection';
import { settlementDecider, statementDecider } from './statement.decider';
import { StatementsController } from './statements.controller';

/** Statements kept from the bank's integration events. */
@Module({
  imports: [StrataModule.forFeature({ deciders: [statementDecider, settlementDecider], projections: [StatementsProjection] })],
  controllers: [StatementsController],
  providers: [BankEventsInbox],
})
export class StatementsModule {}
