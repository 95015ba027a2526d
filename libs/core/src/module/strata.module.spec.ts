import { Injectable, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { AggregateHandle } from '../commands/aggregate-handle';
import type { Decider } from '../decider/decider';
import { ConfigurationError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { UpcastingEventStore } from '../event-store/upcasting-event-store';
import type { Event } from '../events/event';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemorySnapshotStore } from '../snapshots/in-memory-snapshot-store';
import type { Snapshots } from '../snapshots/snapshots';
import { resolveEventStore } from './resolve-event-store';
import { InjectDecider, STRATA_SNAPSHOTS, StrataModule } from './strata.module';
import type { StrataModuleAsyncOptions, StrataModuleOptions, StrataOptionsFactory } from './strata-options';
import type { StrataAdapter } from './strata-adapter';

type Noted = Event<'Noted', { text: string }>;
const notes: Decider<{ text: string }, Noted, string[]> = {
  category: 'Note',
  initialState: () => [],
  evolve: (state, event) => [...state, event.data.text],
  decide: (command) => [{ type: 'Noted', data: { text: command.text } }],
};

@Injectable()
class NoteService {
  constructor(@InjectDecider(notes) readonly handle: AggregateHandle<{ text: string }, Noted, string[]>) {}
}

const fakeAdapter = (name: string, store = new InMemoryEventStore()): StrataAdapter => ({
  name,
  createEventStore: () => store,
});

describe('StrataModule', () => {
  it('wires deciders registered with forFeature to the configured store', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StrataModule.forRoot({ eventStore: 'memory' }), StrataModule.forFeature({ deciders: [notes] })],
      providers: [NoteService],
    }).compile();
    const service = moduleRef.get(NoteService);
    await service.handle.handle('1', { text: 'hello' });
    await service.handle.handle('1', { text: 'again' });
    const loaded = await service.handle.load('1');
    expect(loaded).toMatchObject({ state: ['hello', 'again'], revision: 1n });
    expect(moduleRef.get(EventStore)).toBeInstanceOf(InMemoryEventStore);
    await moduleRef.close();
  });

  describe('forRootAsync', () => {
    @Injectable()
    class Settings {
      readonly eventStoreName = 'fake';
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    @Injectable()
    class StrataSettings implements StrataOptionsFactory {
      constructor(private readonly settings: Settings) {}
      createStrataOptions(): StrataModuleOptions {
        return { adapters: [fakeAdapter(this.settings.eventStoreName, fakeStore)], readStore: 'memory', env: {} };
      }
    }
    @Module({ imports: [SettingsModule], providers: [StrataSettings], exports: [StrataSettings] })
    class StrataSettingsModule {}

    const fakeStore = new InMemoryEventStore();
    const startWith = (async: StrataModuleAsyncOptions) =>
      Test.createTestingModule({
        imports: [StrataModule.forRootAsync(async), StrataModule.forFeature({ deciders: [notes] })],
        providers: [NoteService],
      }).compile();

    it.each<[string, StrataModuleAsyncOptions]>([
      [
        'an async factory with injected settings',
        {
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: async (settings: Settings) => {
            await Promise.resolve();
            return { adapters: [fakeAdapter(settings.eventStoreName, fakeStore)], readStore: 'memory', env: {} };
          },
        },
      ],
      ['an options class it creates', { imports: [SettingsModule], useClass: StrataSettings }],
      ['an options class another module provides', { imports: [StrataSettingsModule], useExisting: StrataSettings }],
    ])('takes its options from %s', async (_case, async) => {
      const moduleRef = await startWith(async);
      const before = (await fakeStore.headPosition()) ?? null;
      await moduleRef.get(NoteService).handle.handle(randomUUID(), { text: 'configured' });
      expect(moduleRef.get(EventStore)).toBe(fakeStore);
      expect(await fakeStore.headPosition()).not.toEqual(before);
      await moduleRef.close();
    });

    it('refuses a factory that returns no options object, saying so', async () => {
      await expect(startWith({ useFactory: () => undefined as unknown as StrataModuleOptions })).rejects.toThrow(
        'StrataModule.forRootAsync: the options factory returned undefined, not an options object.',
      );
    });
  });

  it('fails at start-up, naming the option, when the retry policy could retry forever', async () => {
    const start = Test.createTestingModule({
      imports: [StrataModule.forRoot({ eventStore: 'memory', retry: { maxAttempts: Number.NaN } }), StrataModule.forFeature({ deciders: [notes] })],
    }).compile();
    await expect(start).rejects.toThrow('retry.maxAttempts: NaN is not a whole number from 1 to 1000.');
  });

  it('fails at start-up, naming the variable, when STRATA_EVENT_STORE is invalid', async () => {
    const start = Test.createTestingModule({
      imports: [StrataModule.forRootAsync({ useFactory: () => ({ env: { STRATA_EVENT_STORE: 'postgres' } }) })],
    }).compile();
    await expect(start).rejects.toThrow(/STRATA_EVENT_STORE: 'postgres' is not an event store this app knows. Set it to one of: memory/);
  });

  it('offers only adapters that keep an event log, and refuses a read-model store named as the event store', async () => {
    const readModelsOnly: StrataAdapter = { name: 'documents', createDocumentStore: () => new InMemoryDocumentStore() };
    const options = (name: string): StrataModuleOptions => ({ adapters: [fakeAdapter('fake'), readModelsOnly], env: { STRATA_EVENT_STORE: name } });
    await expect(resolveEventStore(options('postgres'))).rejects.toThrow(
      "STRATA_EVENT_STORE: 'postgres' is not an event store this app knows. Set it to one of: fake, memory.",
    );
    await expect(resolveEventStore(options('documents'))).rejects.toThrow(
      "STRATA_EVENT_STORE: 'documents' keeps read models, not the event log. Set it to one of: fake, memory, and STRATA_READ_STORE=documents to keep the read models there.",
    );
  });
});

describe('a decider injected but not registered', () => {
  it('fails at start-up with an error that says to add it to StrataModule.forFeature', async () => {
    @Module({ imports: [StrataModule.forRoot({ eventStore: 'memory' })], providers: [NoteService] })
    class ForgotFeatureModule {}
    const start = Test.createTestingModule({ imports: [ForgotFeatureModule] }).compile();
    await expect(start).rejects.toThrow(
      /NoteService.*the 'Note' decider: add it to StrataModule\.forFeature\(\{ deciders: \[\.\.\.\] \}\) in the imports of the module that injects it.*ForgotFeatureModule/s,
    );
  });
});

describe('StrataModule snapshots', () => {
  const snapshotted = { ...notes, snapshot: { every: 2, version: 1 } };
  @Injectable()
  class SnapshottedNotes {
    constructor(@InjectDecider(snapshotted) readonly handle: AggregateHandle<{ text: string }, Noted, string[]>) {}
  }
  const start = (options: StrataModuleOptions) =>
    Test.createTestingModule({
      imports: [StrataModule.forRoot(options), StrataModule.forFeature({ deciders: [snapshotted] })],
      providers: [SnapshottedNotes],
    }).compile();

  it("gives deciders that opt in the adapter's snapshot store, and writes what is queued before closing it", async () => {
    const moduleRef = await start({ eventStore: 'memory' });
    const snapshots = moduleRef.get<Snapshots | null>(STRATA_SNAPSHOTS);
    expect(snapshots?.store).toBeInstanceOf(InMemorySnapshotStore);
    const store = snapshots?.store as InMemorySnapshotStore;
    const close = jest.spyOn(store, 'close');
    const { handle } = moduleRef.get(SnapshottedNotes);
    await handle.handle('1', { text: 'a' });
    await handle.handle('1', { text: 'b' });
    await moduleRef.close();
    expect(await store.load('Note-1')).toMatchObject({ revision: 1n, state: ['a', 'b'] });
    expect(close).toHaveBeenCalled();
  });

  it('has none with snapshotStore: false, or for an event store handed in ready-made', async () => {
    for (const options of [{ eventStore: 'memory', snapshotStore: false as const }, { eventStore: new InMemoryEventStore() }]) {
      const moduleRef = await start(options);
      expect(moduleRef.get(STRATA_SNAPSHOTS)).toBeNull();
      await moduleRef.get(SnapshottedNotes).handle.handle('1', { text: 'a' });
      await moduleRef.close();
    }
  });

  it('uses a snapshot store handed in, and leaves it open', async () => {
    const store = new InMemorySnapshotStore();
    const close = jest.spyOn(store, 'close');
    const moduleRef = await start({ eventStore: 'memory', snapshotStore: store });
    expect(moduleRef.get<Snapshots | null>(STRATA_SNAPSHOTS)?.store).toBe(store);
    await moduleRef.close();
    expect(close).not.toHaveBeenCalled();
  });
});

describe('resolveEventStore', () => {
  it('uses the first adapter when STRATA_EVENT_STORE is unset, and the named one when set', async () => {
    const first = new InMemoryEventStore();
    const second = new InMemoryEventStore();
    const adapters = [fakeAdapter('disk', first), fakeAdapter('other', second)];
    expect(await resolveEventStore({ adapters, env: {} })).toBe(first);
    expect(await resolveEventStore({ adapters, env: { STRATA_EVENT_STORE: 'other' } })).toBe(second);
    expect(await resolveEventStore({ adapters, env: { STRATA_EVENT_STORE: 'memory' } })).toBeInstanceOf(InMemoryEventStore);
  });

  it('raises ConfigurationError naming the variable and the choices', async () => {
    const error = await resolveEventStore({ adapters: [fakeAdapter('disk')], env: { STRATA_EVENT_STORE: 'nope' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ variable: 'STRATA_EVENT_STORE', code: 'INVALID_CONFIGURATION' });
    expect((error as Error).message).toContain('disk, memory');
  });

  it('wraps the store with upcasters when there are any', async () => {
    const store = await resolveEventStore({
      eventStore: 'memory',
      upcasters: [{ eventType: 'Noted', fromVersion: 1, upcast: (data) => ({ text: String(data['note']) }) }],
    });
    expect(store).toBeInstanceOf(UpcastingEventStore);
    await store.appendToStream('Note-1', [{ type: 'Noted', data: { note: 'old shape' } }]);
    const page = await store.readAll();
    expect(page.events[0]).toMatchObject({ data: { text: 'old shape' }, metadata: { schemaVersion: 2 } });
  });
});
