import { describeWithContainers } from '@strata/testing/containers';
import { BankTestApp } from './bank-test-app';

// The same bank, unchanged, on the distributed backends: chosen by configuration only.
describeWithContainers('the bank on KurrentDB and MongoDB', ({ kurrentdb, mongodb }) => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start({
      strata: {
        eventStore: 'kurrentdb',
        readStore: 'mongodb',
        env: { KURRENTDB_URL: kurrentdb, MONGODB_URL: mongodb, MONGODB_DATABASE: `bank${Date.now()}` },
      },
    });
  });

  afterAll(async () => {
    await bank.stop();
  });

  it('opens, deposits, withdraws, and reads its writes through the projections', async () => {
    const id = await bank.openAccount('Ada');
    expect((await bank.deposit(id, 500)).status).toBe(200);
    const withdrawn = await bank.withdraw(id, 200);
    expect(withdrawn.status).toBe(200);
    const reply = await bank.get(`/accounts/${id}`, withdrawn.json<{ position: string }>().position);
    expect(reply.json()).toMatchObject({ id, owner: 'Ada', balance: 300, status: 'open', revision: 2 });
  });

  it('refuses a stale If-Match with 412 and a repeated Idempotency-Key appends once', async () => {
    const id = await bank.openAccount('Grace');
    expect((await bank.deposit(id, 10, { 'If-Match': '"5"' })).status).toBe(412);
    const key = `deposit-${id}`;
    const first = await bank.deposit(id, 10, { 'Idempotency-Key': key });
    const again = await bank.deposit(id, 10, { 'Idempotency-Key': key });
    expect(again.json()).toEqual(first.json());
    expect(await bank.eventsOf(id)).toHaveLength(2);
  });

  it('settles a transfer through the saga', async () => {
    const from = await bank.openAccount('Ada');
    const to = await bank.openAccount('Grace');
    await bank.deposit(from, 500);
    const reply = await bank.transfer(from, to, 200);
    expect(reply.status).toBe(202);
    const { id, position } = reply.json<{ id: string; position: string }>();
    expect(await bank.settledTransfer(id, position, 20_000)).toMatchObject({ status: 'completed' });
  });
});
