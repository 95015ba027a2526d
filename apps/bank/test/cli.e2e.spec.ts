import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParkedEvents, type ParkedSequence } from '@strata/core';
import { projectionCheckpointName } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { spawnBank, waitUntilServing } from './bank-process';
import { runCli, type CliRun } from './cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
const filename = join(dataDir, 'strata.db');
const env = { STRATA_DATA_DIR: dataDir };
const ACCOUNT = '00000000-0000-4000-8000-000000000001';
// A deposit into an account that was never opened: no projection can apply it, so it is parked.
const ORPHAN = '00000000-0000-4000-8000-0000000000ff';

/** Runs the CLI invocations a few at a time: each is a Node process that compiles the app. */
async function runAll(runs: readonly (readonly [string[], Record<string, string>])[]): Promise<CliRun[]> {
  const results: CliRun[] = [];
  const queue = runs.map((run, at) => [run, at] as const);
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) results[next[1]] = await runCli(next[0][0], next[0][1]);
    }),
  );
  return results;
}

/** One line on stderr, starting with the program name, and nothing on stdout. */
function expectOneLineError(run: CliRun, code: number, ...fragments: string[]): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bank: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}

beforeAll(async () => {
  const events = SqliteEventStore.open({ filename });
  await events.appendToStream(`Account-${ACCOUNT}`, [
    { type: 'AccountOpened', data: { accountId: ACCOUNT, owner: 'ada' } },
    { type: 'MoneyDeposited', data: { accountId: ACCOUNT, amount: 500 } },
  ]);
  await events.appendToStream(`Account-${ORPHAN}`, [{ type: 'MoneyDeposited', data: { accountId: ORPHAN, amount: 1 } }]);
  await events.close();
  // The app projects the log once, parking the orphan deposit at the first failure.
  const bank = await spawnBank({ ...env, STRATA_PROJECTION_MAX_ATTEMPTS: '1' });
  try {
    await waitUntilServing(bank, 60_000);
    const documents = SqliteDocumentStore.open({ filename });
    const deadline = Date.now() + 30_000;
    while ((await new ParkedEvents(documents).count(projectionCheckpointName('accounts'))) === 0) {
      if (Date.now() > deadline) throw new Error(`nothing was parked:\n${bank.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await documents.close();
  } finally {
    bank.child.kill('SIGTERM');
    await bank.exited;
  }
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the bank CLI as a process', () => {
  it('exits 2 on usage errors and 1 on failures, each with a one-line reason; bad configuration names the variable', async () => {
    const [unknownProjection, unknownOption, nothingToReplay, badEventStore, badProgress, badLimit, badPosition, unknownStream, unknownParked] = await runAll([
      [['projections', 'replay', 'acounts'], env],
      [['projections', 'list', '--verbose'], env],
      [['projections', 'replay'], env],
      [['projections', 'list'], { ...env, STRATA_EVENT_STORE: 'cassandra' }],
      [['projections', 'list'], { ...env, STRATA_CLI_PROGRESS_MS: 'soon' }],
      [['events', 'tail', '--limit', '0'], env],
      [['events', 'tail', '--from', 'yesterday'], env],
      [['events', 'tail', '--stream', 'Account-nobody'], env],
      [['parked', 'skip', 'projection:accounts@00000000000000ff'], env],
    ]);
    expectOneLineError(unknownProjection as CliRun, 2, "There is no projection 'acounts'", 'Known projections:', 'account-transactions', 'accounts');
    expectOneLineError(unknownOption as CliRun, 2, "unknown option '--verbose'");
    expectOneLineError(nothingToReplay as CliRun, 2, 'name the projections to replay, or pass --all');
    expectOneLineError(badEventStore as CliRun, 1, "STRATA_EVENT_STORE: 'cassandra' is not an event store");
    expectOneLineError(badProgress as CliRun, 1, "STRATA_CLI_PROGRESS_MS: 'soon'");
    expectOneLineError(badLimit as CliRun, 2, '--limit takes a whole number from 1 to 10000');
    expectOneLineError(badPosition as CliRun, 2, "--from takes a log position", "'yesterday'");
    expectOneLineError(unknownStream as CliRun, 1, "Stream 'Account-nobody' does not exist.");
    expectOneLineError(unknownParked as CliRun, 2, "There is no parked event 'projection:accounts@00000000000000ff'");
  }, 120_000);

  it('tails events as JSON lines, and lists sagas', async () => {
    const [tail, stream, sagas] = await runAll([
      [['events', 'tail', '--limit', '2'], env],
      [['events', 'tail', '--stream', `Account-${ACCOUNT}`, '--from', '1'], env],
      [['sagas', 'list'], env],
    ]);
    expect(tail?.code).toBe(0);
    const lines = (tail?.stdout ?? '').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ position: '0000000000000002', streamId: `Account-${ACCOUNT}`, revision: 1, type: 'MoneyDeposited', data: { accountId: ACCOUNT, amount: 500 } }),
      expect.objectContaining({ position: '0000000000000003', streamId: `Account-${ORPHAN}`, revision: 0, type: 'MoneyDeposited' }),
    ]);
    expect((stream?.stdout ?? '').trimEnd().split('\n').map((line) => (JSON.parse(line) as { revision: number }).revision)).toEqual([1]);
    expect(sagas?.code).toBe(0);
    expect(sagas?.stdout).toMatch(/^SAGA +VERSION +ACTIVE +DONE +CHECKPOINT +LAG +PARKED$/m);
    // The CLI does not run sagas: it reports what the store holds, here no transfer yet.
    expect(sagas?.stdout).toMatch(/^transfer +1 +0 +0 /m);
  }, 120_000);

  it('lists a parked event, fails to retry it while it still fails (exit 1), then skips it', async () => {
    const listed = await runCli(['parked', 'list', '--projection', 'accounts', '--json'], env);
    expect(listed.code).toBe(0);
    const [sequence] = JSON.parse(listed.stdout) as ParkedSequence[];
    expect(sequence).toMatchObject({ subscription: 'projection:accounts', partition: `Account-${ORPHAN}` });
    const [parked] = sequence?.events ?? [];
    expect(parked).toMatchObject({ subscription: 'projection:accounts', eventType: 'MoneyDeposited', streamId: `Account-${ORPHAN}`, attempts: 1 });
    const id = String(parked?._id);

    // In turn: the list must see what the retry recorded.
    const retried = await runCli(['parked', 'retry', id], env);
    const table = await runCli(['parked', 'list'], env);
    expect(retried.code).toBe(1);
    expect(retried.stdout).toContain(`still failing ${id}:`);
    expect(retried.stderr.trimEnd()).toBe('bank: 1 of 1 parked events failed again and stay parked.');
    expect(table.stdout).toMatch(/^PARTITION +# +ID +EVENT +STREAM +STATE +ATTEMPTS +PARKED AT +ERROR$/m);
    expect(table.stdout).toMatch(new RegExp(`^Account-${ORPHAN} +1 +${id} +MoneyDeposited +Account-${ORPHAN} +failed +2 `, 'm'));

    const skipped = await runCli(['parked', 'skip', id], env);
    expect(skipped).toMatchObject({ code: 0, stdout: `skipped ${id}: MoneyDeposited in Account-${ORPHAN} stays unapplied\n` });
    expect(JSON.parse((await runCli(['parked', 'list', '--projection', 'accounts', '--json'], env)).stdout)).toEqual([]);
  }, 120_000);
});
