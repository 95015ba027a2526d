import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '@strata/core';
import { SqliteEventStore } from '@strata/sqlite';

/** Events each account's stream gets: opened, then deposits and withdrawals that never overdraw. */
const EVENTS_PER_ACCOUNT = 100;
/** Events per append; accounts take turns, so streams interleave in the log as they would in use. */
const CHUNK = 10;

/** Fills `filename` with `total` bank events through the event store, as commands would append them. */
export async function seedBankLog(filename: string, total: number): Promise<void> {
  const store = SqliteEventStore.open({ filename, synchronous: 'OFF' });
  try {
    await seedBankEvents(store, total);
  } finally {
    await store.close();
  }
}

/** Appends `total` bank events to `store`: accounts opened, then deposits and withdrawals, `CHUNK` per append, accounts in turn. */
export async function seedBankEvents(store: EventStore, total: number): Promise<void> {
  const accounts = Math.max(1, Math.ceil(total / EVENTS_PER_ACCOUNT));
  const ids = Array.from({ length: accounts }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
  let written = 0;
  for (let from = 0; from < EVENTS_PER_ACCOUNT && written < total; from += CHUNK) {
    for (const [n, accountId] of ids.entries()) {
      const events: EventToAppend[] = [];
      for (let revision = from; revision < from + CHUNK && written + events.length < total; revision++) events.push(bankEvent(accountId, n, revision));
      if (events.length === 0) break;
      await store.appendToStream(`Account-${accountId}`, events);
      written += events.length;
    }
  }
}

function bankEvent(accountId: string, n: number, revision: number): EventToAppend {
  const metadata = { correlationId: randomUUID(), commandId: randomUUID(), schemaVersion: 1 };
  if (revision === 0) return { type: 'AccountOpened', data: { accountId, owner: `owner-${n % 97}` }, metadata };
  // Withdraw every third event, less than the deposits before it, so balances stay positive.
  if (revision % 3 === 0) return { type: 'MoneyWithdrawn', data: { accountId, amount: revision }, metadata };
  return { type: 'MoneyDeposited', data: { accountId, amount: 2 * revision }, metadata };
}
