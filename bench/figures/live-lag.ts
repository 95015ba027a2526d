// Figure 6: how long after an append is acknowledged its effect is committed in the read
// models, while commands append at a steady 1,000 per second. Both bank projections follow
// the log live in the same process as the writer. synchronous=NORMAL, as in the HTTP figure:
// with FULL every append waits for an fsync, and this figure would time the disk, not Strata.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { comparePositions, type EventStore, type Position, type ProjectionClass, type ProjectionHandler } from '@strata/core';
import { newLeaseOwner, ProjectionRunner, requireProjectionOptions, resolveProjectionSettings } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { AccountTransactionsProjection } from '../../apps/bank/src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../../apps/bank/src/accounts/projections/accounts.projection';
import { ceilingRow, infoRow, percentile, type BenchRow, type Figure } from '../harness';

const RATE = 1_000;
const ACCOUNTS = 1_000;
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

interface Pending {
  readonly position: Position;
  readonly at: number;
}

/** Tracks one runner: each acknowledged append waits until the runner commits past it. */
class LagProbe {
  private readonly pending: Pending[] = [];
  private head = 0;
  readonly lags: number[] = [];

  constructor(runner: ProjectionRunner) {
    runner.onCommitted((position) => {
      const now = performance.now();
      while (this.head < this.pending.length && comparePositions((this.pending[this.head] as Pending).position, position) <= 0) {
        this.lags.push(now - (this.pending[this.head] as Pending).at);
        this.head += 1;
      }
    });
  }

  appended(position: Position, at: number): void {
    this.pending.push({ position, at });
  }

  get outstanding(): number {
    return this.pending.length - this.head;
  }
}

function runnerFor(Projection: ProjectionClass, events: EventStore, documents: SqliteDocumentStore): ProjectionRunner {
  const handler = new (Projection as unknown as new () => ProjectionHandler<never>)();
  const settings = resolveProjectionSettings(process.env);
  return new ProjectionRunner({ handler, options: requireProjectionOptions(Projection) }, events, documents, settings, newLeaseOwner(), silent);
}

const metadata = () => ({ commandId: randomUUID(), correlationId: randomUUID() });

export const figure: Figure = {
  id: 'live-lag',
  title: 'live projection lag at 1,000 appends/s',
  async run(context): Promise<BenchRow[]> {
    const filename = join(context.workDir, 'strata.db');
    const events = SqliteEventStore.open({ filename, synchronous: 'NORMAL' });
    const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
    const ids = Array.from({ length: ACCOUNTS }, () => randomUUID());
    const revisions = ids.map(() => 0n);
    for (const accountId of ids) {
      await events.appendToStream(`Account-${accountId}`, [{ type: 'AccountOpened', data: { accountId, owner: 'bench' }, metadata: metadata() }], {
        expectedRevision: 'no_stream',
      });
    }
    const runners = [runnerFor(AccountsProjection, events, documents), runnerFor(AccountTransactionsProjection, events, documents)];
    const probes = runners.map((runner) => new LagProbe(runner));
    runners.forEach((runner) => runner.start());
    const head = (await events.headPosition()) as Position;
    const deadline = Date.now() + 30_000;
    await Promise.all(runners.map((runner) => runner.waitFor(head, deadline)));

    const seconds = context.quick ? 5 : 15;
    const total = RATE * seconds;
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000));
      for (; sent < due; sent++) {
        const n = sent % ACCOUNTS;
        const accountId = ids[n] as string;
        const expectedRevision = revisions[n] as bigint;
        const data = { accountId, amount: 1 + (sent % 100) };
        const result = await events.appendToStream(`Account-${accountId}`, [{ type: 'MoneyDeposited', data, metadata: metadata() }], { expectedRevision });
        revisions[n] = result.nextRevision;
        const at = performance.now();
        for (const probe of probes) probe.appended(result.position, at);
      }
      await sleep(1);
    }
    const rate = (total * 1000) / (performance.now() - started);
    const drained = Date.now() + 30_000;
    while (probes.some((probe) => probe.outstanding > 0) && Date.now() < drained) await sleep(10);
    await Promise.all(runners.map((runner) => runner.stop()));
    await Promise.all([events.close(), documents.close()]);
    if (probes.some((probe) => probe.outstanding > 0)) throw new Error('the projections did not catch up within 30 s of the last append');

    // An event is read-your-writes visible once every projection has committed it.
    const lags = probes[0]!.lags.map((lag, n) => Math.max(lag, ...probes.map((probe) => probe.lags[n] as number)));
    context.log(`${total} appends at ${Math.round(rate)}/s; lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms`);
    return [
      infoRow('6 append rate held', rate, 'appends/s'),
      infoRow('6 live projection lag p50', percentile(lags, 50), 'ms'),
      ceilingRow('6 live projection lag p99', percentile(lags, 99), 'ms', 50),
    ];
  },
};
