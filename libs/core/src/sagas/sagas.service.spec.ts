import { Logger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandHandler, CqrsModule, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateHandle } from '../commands/aggregate-handle';
import type { CommandContext } from '../commands/command-context';
import type { CommandResult } from '../commands/command-result';
import type { Decider } from '../decider/decider';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { DomainError } from '../errors/strata-error';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import type { Event, RecordedEvent } from '../events/event';
import { InjectDecider, StrataModule } from '../module/strata.module';
import { Clock } from './clock';
import { SAGA_DEADLINES, SAGA_OUTBOX, sagaStreamId } from './saga-documents';
import type { SagaContext, SagaHandler } from './saga-handler';
import type { SagaCommandFailed, SagaReaction } from './saga-messages';
import { Saga } from './saga.decorator';
import { sagaCommandId } from './saga-step';
import { Sagas } from './sagas.service';
import { Projections } from '../projections/projections.service';
import { ParkedEvents } from '../projections/parked-events';
import { sagaSubscriptionName } from './saga-subscription';

type Paid = Event<'Paid', { walletId: string; amount: number; jobId: string }>;
type JobRequested = Event<'JobRequested', { jobId: string; walletId: string; amount: number }>;
type JobTimedOut = Event<'JobTimedOut', { jobId: string }>;
type JobEvent = Paid | JobRequested | JobTimedOut;

class RefusedError extends DomainError {
  constructor() {
    super('PAYMENT_REFUSED', 'Negative payments are refused.');
  }
}

const wallet: Decider<{ walletId: string; amount: number; jobId: string }, Paid, null> = {
  category: 'Wallet',
  initialState: () => null,
  evolve: () => null,
  decide: (command) => {
    if (command.amount < 0) throw new RefusedError();
    return [{ type: 'Paid', data: command }];
  },
};

class PayCommand {
  constructor(
    readonly data: { walletId: string; amount: number; jobId: string },
    readonly context: CommandContext,
  ) {}
}

const received: CommandContext[] = [];

@CommandHandler(PayCommand)
class PayHandler implements ICommandHandler<PayCommand, CommandResult> {
  constructor(@InjectDecider(wallet) private readonly wallets: AggregateHandle<PayCommand['data'], Paid, null>) {}

  execute(command: PayCommand): Promise<CommandResult> {
    received.push(command.context);
    return this.wallets.handle(command.data.walletId, command.data, command.context);
  }
}

type JobState = { stage: 'paying' | 'timed-out' | 'refused'; reason?: string };

/** Jobs whose events the saga throws on, as a bug would. */
const poisonedJobs = new Set<string>();

@Saga({ name: 'job', version: 1, handles: ['JobRequested', 'Paid', 'JobTimedOut'], startedBy: ['JobRequested'], commands: { Pay: (data: PayCommand['data'], context) => new PayCommand(data, context) } })
class JobSaga implements SagaHandler<JobState, JobEvent> {
  correlate(event: RecordedEvent<JobEvent>): string | null {
    return event.data.jobId;
  }

  initialState(): JobState {
    return { stage: 'paying' };
  }

  handle(state: JobState, event: RecordedEvent<JobEvent | SagaCommandFailed>, ctx: SagaContext): SagaReaction<JobState> {
    if (poisonedJobs.has(ctx.instanceId)) throw new Error(`job ${ctx.instanceId} is poisoned`);
    switch (event.type) {
      case 'JobRequested': {
        const data = event.data as JobRequested['data'];
        return {
          state,
          // A free job pays nothing and only waits for its deadline.
          commands: data.amount === 0 ? [] : [{ type: 'Pay', data: { walletId: data.walletId, amount: data.amount, jobId: data.jobId } }],
          schedule: [{ key: 'timeout', after: 1_000, event: { type: 'JobTimedOut', data: { jobId: data.jobId } } }],
        };
      }
      case 'Paid':
        return { state, done: true };
      case 'JobTimedOut':
        return { state: { stage: 'timed-out' }, done: true };
      case 'SagaCommandFailed': {
        const data = event.data as SagaCommandFailed['data'];
        return { state: { stage: 'refused', reason: data.error.code }, done: true };
      }
    }
    return { state };
  }
}

class ManualClock extends Clock {
  time = Date.UTC(2026, 0, 1);
  override now(): number {
    return this.time;
  }
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('sagas in a Nest app', () => {
  const events = new InMemoryEventStore();
  const documents = new InMemoryDocumentStore();
  const clock = new ManualClock();
  let app: INestApplicationContext | undefined;

  async function start(): Promise<INestApplicationContext> {
    @Module({
      imports: [
        CqrsModule.forRoot(),
        StrataModule.forRoot({ eventStore: events, readStore: documents, clock, projections: { pollIntervalMs: 10, leaseTtlMs: 500, maxAttempts: 2, retryBaseDelayMs: 5 } }),
        StrataModule.forFeature({ deciders: [wallet], sagas: [JobSaga] }),
      ],
      providers: [PayHandler],
    })
    class TestModule {}
    const created = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await created.init();
    return created;
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const instance = (jobId: string) => (app as INestApplicationContext).get(Sagas).instance('job', jobId);
  const request = (jobId: string, amount: number) =>
    events.appendToStream(`Job-${jobId}`, [{ type: 'JobRequested', data: { jobId, walletId: `w-${jobId}`, amount }, metadata: { correlationId: `corr-${jobId}` } }]);

  it('dispatches the command with a derived id and the event’s correlation id, then finishes and cancels its deadline', async () => {
    app = await start();
    const { position } = await request('j1', 5);
    await eventually(async () => (await instance('j1'))?.status === 'done', 'the job saga is done');
    const requested = (await events.readAll()).events.find((e) => e.position === position) as RecordedEvent;
    expect(received.at(-1)).toEqual({ commandId: sagaCommandId('job', 'j1', position, 0), correlationId: 'corr-j1', causationId: requested.id });
    const paid = [];
    for await (const event of events.readStream('Wallet-w-j1')) paid.push(event);
    expect(paid.map((e) => [e.type, e.metadata.correlationId])).toEqual([['Paid', 'corr-j1']]);
    expect(await documents.collection(SAGA_DEADLINES).countDocuments({ instanceId: 'j1' })).toBe(0);
    await eventually(async () => (await documents.collection(SAGA_OUTBOX).countDocuments()) === 0, 'the outbox is empty');
    expect(await app.get(Sagas).list()).toEqual([expect.objectContaining({ name: 'job', version: 1, active: 0 })]);
  });

  it('delivers a refused command back to the saga, once, and never sends it again', async () => {
    app = await start();
    const before = received.length;
    await request('j2', -1);
    await eventually(async () => (await instance('j2'))?.status === 'done', 'the job saga is done');
    expect(await instance('j2')).toMatchObject({ state: { stage: 'refused', reason: 'PAYMENT_REFUSED' } });
    const failures = [];
    for await (const event of events.readStream(sagaStreamId('job', 'j2'))) failures.push(event);
    expect(failures.map((e) => e.type)).toEqual(['SagaCommandFailed']);
    expect(received.length - before).toBe(1);
  });

  it("parks in order per instance: a parked event holds the instance's later events from any stream, and a retry applies them in order", async () => {
    app = await start();
    poisonedJobs.add('j4');
    await request('j4', 0);
    // Of another stream, but of the same instance: it must not be folded before the request.
    await events.appendToStream('Wallet-w-j4', [{ type: 'Paid', data: { walletId: 'w-j4', amount: 0, jobId: 'j4' } }]);
    const parked = new ParkedEvents(documents);
    await eventually(async () => (await parked.count(sagaSubscriptionName('job'))) === 2, 'the request is parked and the payment held behind it');
    const [sequence] = await parked.sequences(sagaSubscriptionName('job'));
    expect(sequence?.partition).toBe('j4');
    expect(sequence?.events.map((event) => [event.streamId, event.held])).toEqual([
      ['Job-j4', false],
      ['Wallet-w-j4', true],
    ]);
    expect(await instance('j4')).toBeNull();

    poisonedJobs.clear();
    const outcome = await app.get(Projections).parkedEvents().retry(String(sequence?.events[0]?._id));
    expect(outcome).toMatchObject({ applied: sequence?.events.map((event) => event._id), failed: null });
    // Paid after the request: the job is done, without waiting for its deadline.
    expect(await instance('j4')).toMatchObject({ status: 'done', state: { stage: 'paying' } });
  });

  it('keeps a deadline across a restart and fires it once when its time comes on the clock', async () => {
    app = await start();
    await request('j3', 0);
    await eventually(async () => (await documents.collection(SAGA_DEADLINES).countDocuments({ instanceId: 'j3' })) === 1, 'the deadline is stored');
    expect(await documents.collection(SAGA_DEADLINES).findOne({ instanceId: 'j3' })).toMatchObject({ key: 'timeout', dueAt: clock.time + 1_000 });
    await app.close();

    app = await start();
    clock.time += 999;
    app.get(Sagas).wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await instance('j3')).toMatchObject({ status: 'active' });
    clock.time += 1;
    app.get(Sagas).wake();
    await eventually(async () => (await instance('j3'))?.status === 'done', 'the timeout ended the job');
    expect(await instance('j3')).toMatchObject({ state: { stage: 'timed-out' } });
    clock.time += 60_000;
    app.get(Sagas).wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fired = [];
    for await (const event of events.readStream(sagaStreamId('job', 'j3'))) fired.push(event);
    expect(fired.map((e) => [e.type, e.metadata.correlationId])).toEqual([['JobTimedOut', 'corr-j3']]);
  });
});
