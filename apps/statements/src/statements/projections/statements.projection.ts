import { Projection, type ProjectionContext, type ProjectionHandler } from '@strata/core';
import type { RecordedStatementEvent, SettlementRecorded, StatementEvent } from '../statement.events';

export const STATEMENTS_COLLECTION = 'statements';
export const SETTLEMENTS_COLLECTION = 'settlements';

/** One account's statement: owner, balance, how many movements, and the revision it reflects. */
export interface StatementDocument {
  readonly _id: string;
  readonly owner: string;
  readonly balance: number;
  readonly movements: number;
  readonly revision: number;
}

/** How a transfer ended. */
export interface SettlementDocument {
  readonly _id: string;
  readonly outcome: 'completed' | 'failed';
  readonly reason: string | null;
}

/** Folds statements and settlements into the documents the queries read. */
@Projection({
  name: 'statements',
  version: 1,
  events: ['StatementOpened', 'MovementRecorded', 'SettlementRecorded'],
  collections: { [STATEMENTS_COLLECTION]: {}, [SETTLEMENTS_COLLECTION]: {} },
})
export class StatementsProjection implements ProjectionHandler<StatementEvent | SettlementRecorded> {
  async handle(event: RecordedStatementEvent, ctx: ProjectionContext): Promise<void> {
    if (event.type === 'SettlementRecorded') {
      const { transferId, outcome, reason } = event.data;
      await ctx.collection<SettlementDocument>(SETTLEMENTS_COLLECTION).replaceOne({ _id: transferId }, { outcome, reason: reason ?? null }, { upsert: true });
      return;
    }
    const statements = ctx.collection<StatementDocument>(STATEMENTS_COLLECTION);
    const revision = Number(event.revision);
    const current = await statements.findOne({ _id: event.data.accountId });
    // Delivery is at least once: an event at or below the stored revision is already in the document.
    if (current && revision <= current.revision) return;
    if (event.type === 'StatementOpened') {
      await statements.replaceOne({ _id: event.data.accountId }, { owner: event.data.owner, balance: 0, movements: 0, revision }, { upsert: true });
      return;
    }
    await statements.updateOne({ _id: event.data.accountId }, { $set: { balance: event.data.balance, revision }, $inc: { movements: 1 } });
  }
}
