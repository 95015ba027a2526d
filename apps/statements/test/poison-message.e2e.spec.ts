import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AggregateHandle, createStrataFastifyAdapter, STRATA_APP_OPTIONS, DocumentStore, EventStore, getDeciderToken, IntegrationEvents, type IntegrationMessage, type ParkedEvent } from '@strata/core';
import { PARKED_COLLECTION } from '@strata/core/adapter';
import { NatsTransport, natsSettingsFrom } from '@strata/nats';
import { describeWithService } from '@strata/testing';
import { AppModule } from '../src/app.module';
import { statementDecider } from '../src/statements/statement.decider';

/** The bug under test: while an account is listed, recording its movements throws, as faulty code would. */
const faulty = new Set<string>();

function message(type: string, key: string, data: object): IntegrationMessage {
  return { id: randomUUID(), type, version: 1, source: 'bank', key, occurredAt: new Date().toISOString(), data, headers: {} };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithService('a poison message on NATS JetStream', { name: 'NATS', host: '127.0.0.1', port: 4222 }, () => {
  jest.setTimeout(5 * 60_000);
  const scope = randomUUID().slice(0, 8);
  const env = { STRATA_INTEGRATION_TRANSPORT: 'nats', STRATA_NATS_STREAM: `POISON_${scope}`, STRATA_NATS_SUBJECT_PREFIX: `poison${scope}`, STRATA_PROJECTION_MAX_ATTEMPTS: '3' };
  const dir = mkdtempSync(join(tmpdir(), 'strata-statements-'));
  let app: INestApplication;
  let bank: NatsTransport;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [AppModule.forRoot({ strata: { env: { ...env, STRATA_DATA_DIR: dir } } })] })
      .overrideProvider(getDeciderToken(statementDecider))
      .useFactory({
        inject: [EventStore],
        factory: (store: EventStore) => {
          const real = new AggregateHandle(store, statementDecider);
          const handle: typeof real.handle = (id, command, context) => (faulty.has(id) && command.type === 'RecordMovement' ? Promise.reject(new Error(`bug on ${id}`)) : real.handle(id, command, context));
          return Object.assign(Object.create(real) as typeof real, { handle });
        },
      })
      .compile();
    app = module.createNestApplication(createStrataFastifyAdapter(), { ...STRATA_APP_OPTIONS, logger: false });
    await app.init();
    bank = await NatsTransport.connect(natsSettingsFrom(env));
  });

  afterAll(async () => {
    await app?.close();
    await bank?.deleteStream();
    await bank?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parks it after its retries while other accounts flow, holds its account behind it, and parked retry after the fix applies them in order', async () => {
    const [bad, good] = [randomUUID(), randomUUID()];
    faulty.add(bad);
    for (const account of [bad, good]) await bank.publish(message('bank.account-opened', `Account-${account}`, { accountId: account, owner: 'Ada' }));
    await bank.publish(message('bank.money-moved', `Account-${bad}`, { accountId: bad, direction: 'in', amount: 100 }));
    await bank.publish(message('bank.money-moved', `Account-${bad}`, { accountId: bad, direction: 'out', amount: 30 }));
    for (let n = 1; n <= 5; n++) await bank.publish(message('bank.money-moved', `Account-${good}`, { accountId: good, direction: 'in', amount: n }));

    const statement = async (id: string): Promise<{ balance: number; movements: number } | null> => {
      const response = await fetch(`${await app.getUrl()}/statements/${id}`).catch(() => null);
      return response?.ok ? ((await response.json()) as { balance: number; movements: number }) : null;
    };
    await app.listen(0, '127.0.0.1');
    await eventually(async () => (await statement(good))?.movements === 5, 'the good account to flow past the poison message');
    const parked = app.get(DocumentStore).collection<ParkedEvent>(PARKED_COLLECTION);
    await eventually(async () => (await parked.countDocuments({ subscription: 'inbox:statements' })) === 2, 'two parked messages');
    const records = await parked.find({ subscription: 'inbox:statements' }, { sort: { position: 1 } });
    expect(records.map((record) => [record.attempts, record.error])).toEqual([
      [3, expect.stringContaining(`bug on ${bad}`) as unknown],
      [0, expect.stringContaining('Held behind an earlier parked message') as unknown],
    ]);
    expect(await statement(bad)).toEqual(expect.objectContaining({ balance: 0, movements: 0 }));

    faulty.clear();
    const outcome = await app.get(IntegrationEvents).retryParked((records[0] as ParkedEvent)._id);
    expect(outcome).toEqual({ id: records[0]?._id, applied: records.map((record) => record._id), failed: null });
    await eventually(async () => (await statement(bad))?.balance === 70, 'the retried movements in order');
    expect(await statement(bad)).toEqual(expect.objectContaining({ balance: 70, movements: 2 }));
    expect(await parked.countDocuments({ subscription: 'inbox:statements' })).toBe(0);
  });
});
