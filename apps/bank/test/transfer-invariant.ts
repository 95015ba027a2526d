import type { EventStore, Position, RecordedEvent } from '@strata/core';
import type { LoadResult } from './transfer-load';

/** How often each kind of leg of one transfer appears in the account streams. */
export interface TransferLegs {
  withdrawals: number;
  deposits: number;
  refunds: number;
}

/** The accounts as their streams tell it: the source of truth the read models are checked against. */
export interface Ledger {
  readonly balances: ReadonlyMap<string, number>;
  readonly legs: ReadonlyMap<string, TransferLegs>;
}

/** Folds every `Account-` stream in the store. */
export async function readLedger(store: EventStore): Promise<Ledger> {
  const balances = new Map<string, number>();
  const legs = new Map<string, TransferLegs>();
  let from: Position | undefined;
  for (;;) {
    const page = await store.readAll({ filter: { streamPrefixes: ['Account-'] }, maxCount: 1_000, ...(from === undefined ? {} : { fromPosition: from }) });
    for (const event of page.events) apply(event, balances, legs);
    if (page.nextPosition === null) break;
    from = page.nextPosition;
  }
  return { balances, legs };
}

function apply(event: RecordedEvent, balances: Map<string, number>, legs: Map<string, TransferLegs>): void {
  const { accountId, amount, transferId, refund } = event.data as { accountId: string; amount?: number; transferId?: string; refund?: true };
  if (event.type === 'AccountOpened') balances.set(accountId, 0);
  if (event.type !== 'MoneyDeposited' && event.type !== 'MoneyWithdrawn') return;
  const sign = event.type === 'MoneyDeposited' ? 1 : -1;
  balances.set(accountId, (balances.get(accountId) ?? 0) + sign * (amount ?? 0));
  if (transferId === undefined) return;
  const counts = legs.get(transferId) ?? { withdrawals: 0, deposits: 0, refunds: 0 };
  if (event.type === 'MoneyWithdrawn') counts.withdrawals += 1;
  else if (refund === true) counts.refunds += 1;
  else counts.deposits += 1;
  legs.set(transferId, counts);
}

/** What the invariant counted, for the test to print. */
export interface Settlement {
  readonly completed: number;
  readonly failed: number;
}

/**
 * The invariant, with jest's `expect`: every transfer settled; money neither made nor
 * lost (balances add up to what was deposited minus what was withdrawn directly); no balance
 * below zero; and no leg applied twice. Each settled transfer also matches its legs: a completed
 * one moved the money once, a failed one left it where it was (refunded, if it was withdrawn).
 */
export function expectInvariant(ledger: Ledger, load: LoadResult, statuses: ReadonlyMap<string, string>): Settlement {
  const unsettled = load.transfers.filter((id) => !['completed', 'failed'].includes(statuses.get(id) ?? 'unknown'));
  expect(unsettled).toEqual([]);
  const wrong = load.transfers.flatMap((id) => {
    const legs = ledger.legs.get(id) ?? { withdrawals: 0, deposits: 0, refunds: 0 };
    const fine =
      statuses.get(id) === 'completed'
        ? legs.withdrawals === 1 && legs.deposits === 1 && legs.refunds === 0
        : legs.withdrawals <= 1 && legs.deposits === 0 && legs.refunds === legs.withdrawals;
    return fine ? [] : [{ id, status: statuses.get(id), ...legs }];
  });
  expect(wrong).toEqual([]);
  const total = [...ledger.balances.values()].reduce((sum, balance) => sum + balance, 0);
  expect(total).toBe(load.deposited - load.withdrawn);
  expect([...ledger.balances].filter(([, balance]) => balance < 0)).toEqual([]);
  const completed = load.transfers.filter((id) => statuses.get(id) === 'completed').length;
  return { completed, failed: load.transfers.length - completed };
}
