import { Module, type INestApplicationContext } from '@nestjs/common';
import { CommandBus, CommandHandler, CqrsModule, Command, type ICommandHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import type { Decider } from '../decider/decider';
import type { AggregateHandleOf } from '../decider/decider-types';
import { StrataError } from '../errors/strata-error';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import { EventStore } from '../event-store/event-store';
import type { Event, RecordedEvent } from '../events/event';
import { InjectDecider, StrataModule } from '../module/strata.module';
import type { CommandResult } from './command-result';
import { CommandSender } from './command-sender';
import { DecideCommand } from './decide-command';

type Counted = Event<'Counted', { by: number }>;
type CounterCommand = { readonly type: 'Count'; readonly by: number } | { readonly type: 'Reset' };
const counter: Decider<CounterCommand, Counted, number> = {
  category: 'Counter',
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => (command.type === 'Count' ? [{ type: 'Counted', data: { by: command.by } }] : total === 0 ? [] : [{ type: 'Counted', data: { by: -total } }]),
};

class DoubleCountCommand extends Command<CommandResult> {
  constructor(readonly id: string) {
    super();
  }
}

// A hand-written handler beside the generic one: both go through the same bus.
@CommandHandler(DoubleCountCommand)
class DoubleCountHandler implements ICommandHandler<DoubleCountCommand, CommandResult> {
  constructor(@InjectDecider(counter) private readonly counters: AggregateHandleOf<typeof counter>) {}

  execute({ id }: DoubleCountCommand): Promise<CommandResult> {
    return this.counters.handle(id, { type: 'Count', by: 2 });
  }
}

@Module({ imports: [StrataModule.forFeature({ deciders: [counter] })], providers: [DoubleCountHandler] })
class CounterModule {}

describe('CommandSender', () => {
  let app: INestApplicationContext;
  let sender: CommandSender;
  let store: EventStore;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CqrsModule.forRoot(), StrataModule.forRoot({ eventStore: 'memory' }), CounterModule] }).compile();
    app = await moduleRef.init();
    sender = app.get(CommandSender);
    store = app.get(EventStore);
  });
  afterAll(() => app.close());

  const eventsOf = async (streamId: string): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(streamId)) events.push(event);
    return events;
  };
  const totalOf = async (id: string): Promise<number> =>
    (await eventsOf(`Counter-${id}`)).reduce((total, event) => total + (event.data as { by: number }).by, 0);

  it('runs a command on the decider registered in another module, and answers where the stream stands', async () => {
    const first = await sender.send(counter, 'a', { type: 'Count', by: 5 });
    const second = await sender.send(counter, 'a', { type: 'Count', by: 1 });
    expect(first).toMatchObject({ streamId: 'Counter-a', revision: 0n, repeated: false });
    expect(second).toMatchObject({ streamId: 'Counter-a', revision: 1n, repeated: false });
    expect(await totalOf('a')).toBe(6);
  });

  it('passes the context through: a repeated command id appends once and answers the first result', async () => {
    const context = { commandId: 'count-b-1', correlationId: 'corr-1', user: 'ada' };
    const first = await sender.send(counter, 'b', { type: 'Count', by: 3 }, context);
    const again = await sender.send(counter, 'b', { type: 'Count', by: 3 }, context);
    expect(again).toEqual({ ...first, repeated: true });
    const [event] = await eventsOf('Counter-b');
    expect(await totalOf('b')).toBe(3);
    expect(event?.metadata).toMatchObject({ commandId: 'count-b-1', correlationId: 'corr-1', user: 'ada' });
  });

  it('honours an expected revision (If-Match) and changes nothing when it is stale', async () => {
    await sender.send(counter, 'c', { type: 'Count', by: 1 });
    await expect(sender.send(counter, 'c', { type: 'Count', by: 1 }, { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await sender.send(counter, 'c', { type: 'Count', by: 1 }, { expectedRevision: 0n });
    expect(await totalOf('c')).toBe(2);
  });

  it('goes through the CommandBus as a DecideCommand', async () => {
    const bus = app.get(CommandBus);
    const seen: unknown[] = [];
    const subscription = bus.pipe().subscribe((command) => seen.push(command));
    await sender.send(counter, 'd', { type: 'Reset' });
    subscription.unsubscribe();
    expect(seen).toEqual([new DecideCommand('Counter', 'd', { type: 'Reset' }, {})]);
  });

  it('leaves hand-written command handlers working beside it', async () => {
    await app.get(CommandBus).execute(new DoubleCountCommand('e'));
    await sender.send(counter, 'e', { type: 'Count', by: 1 });
    expect(await totalOf('e')).toBe(3);
  });

  it('names the fix when the decider is registered in no module, and appends nothing', async () => {
    const unregistered: Decider<CounterCommand, Counted, number> = { ...counter, category: 'Tally' };
    const sent = sender.send(unregistered, 'f', { type: 'Count', by: 1 });
    await expect(sent).rejects.toThrow(StrataError);
    await expect(sent).rejects.toThrow("No decider with category 'Tally' is registered, so its command cannot run. Add it to StrataModule.forFeature({ deciders: [...] })");
    await expect(eventsOf('Tally-f')).rejects.toThrow(StreamNotFoundError);
  });

  it('checks the command against the decider at compile time', () => {
    // @ts-expect-error 'Count' needs `by`.
    const missing = (): unknown => sender.send(counter, 'g', { type: 'Count' });
    // @ts-expect-error 'Open' is not a counter command.
    const unknown = (): unknown => sender.send(counter, 'g', { type: 'Open' });
    expect([missing, unknown].every((check) => typeof check === 'function')).toBe(true);
  });
});

describe('CommandSender without CqrsModule', () => {
  it('says what to import', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [StrataModule.forRoot({ eventStore: 'memory' }), StrataModule.forFeature({ deciders: [counter] })] }).compile();
    await expect(moduleRef.get(CommandSender).send(counter, 'x', { type: 'Reset' })).rejects.toThrow('import CqrsModule.forRoot() in the app module');
    await moduleRef.close();
  });
});
