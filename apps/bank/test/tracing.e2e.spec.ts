import { RecordingTracer } from '@strata/testing';
import { BankTestApp } from './bank-test-app';

describe('tracing with an OpenTelemetry SDK installed', () => {
  let bank: BankTestApp;
  let tracer: RecordingTracer;

  beforeAll(async () => {
    tracer = RecordingTracer.install();
    bank = await BankTestApp.start();
  });

  afterAll(async () => {
    await bank.stop();
    tracer.uninstall();
  });

  it("puts a transfer saga's commands in the trace of the request that started it", async () => {
    const from = await bank.openAccount('Ada');
    const to = await bank.openAccount('Grace');
    await bank.deposit(from, 500);
    const accepted = (await bank.transfer(from, to, 200)).json<{ id: string; position: string }>();
    expect((await bank.settledTransfer(accepted.id, accepted.position)).status).toBe('completed');

    const [request] = tracer.named('strata.command RequestTransfer');
    const traceId = request?.traceId;
    const [requested] = await bank.streamEvents(`Transfer-${accepted.id}`);
    expect(requested?.metadata.traceparent).toBe(`00-${traceId}-${request?.spanId}-01`);
    for (const command of ['WithdrawMoney', 'DepositMoney', 'CompleteTransfer']) {
      const [dispatch] = tracer.named(`strata.saga.dispatch ${command}`).filter((span) => span.attributes['strata.saga_instance'] === accepted.id);
      expect(dispatch).toMatchObject({ traceId, ended: true });
      const handled = tracer.named(`strata.command ${command}`).find((span) => span.parentSpanId === dispatch?.spanId);
      expect(handled).toMatchObject({ traceId, attributes: { 'strata.outcome': 'ok' } });
    }
    const [withdrawn] = (await bank.eventsOf(from)).filter((event) => event.type === 'MoneyWithdrawn');
    expect(String(withdrawn?.metadata.traceparent)).toContain(traceId);
  });

  it('traces projection batches', () => {
    const batches = tracer.named('strata.projection.batch');
    expect(batches.map((span) => span.attributes['strata.subscription'])).toEqual(expect.arrayContaining(['projection:accounts', 'saga:transfer']));
  });
});
