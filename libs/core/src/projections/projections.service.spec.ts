import { Controller, Get, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentStore } from '../documents/document-store';
import { EventStore } from '../event-store/event-store';
import type { RecordedEvent } from '../events/event';
import { configureStrataHttp, createStrataFastifyAdapter, STRATA_APP_OPTIONS } from '../http/configure-strata-http';
import { StrataModule } from '../module/strata.module';
import type { StrataModuleOptions } from '../module/strata-options';
import { ReadModels } from '../read-models/read-models';
import { ReadsCollections } from '../read-models/reads-collections.decorator';
import type { ProjectionContext, ProjectionHandler } from './projection-handler';
import { Projection } from './projection.decorator';
import { Projections } from './projections.service';

@Projection({ name: 'notes', version: 2, events: ['Noted'], collections: { notes: { indexes: [{ keys: { text: 1 } }] } } })
class NotesProjection implements ProjectionHandler {
  async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    await ctx.collection('notes').replaceOne({ _id: event.streamId }, { text: event.data['text'] }, { upsert: true });
  }
}

@Projection({ name: 'others', version: 1, collections: { others: {} } })
class OthersProjection implements ProjectionHandler {
  async handle(): Promise<void> {
    await Promise.resolve();
  }
}

@Controller('notes')
class NotesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ReadsCollections('notes')
  async list(): Promise<unknown> {
    return this.readModels.collection('notes').find({});
  }

  @Get('everything')
  async everything(): Promise<unknown> {
    return this.readModels.collection('notes').countDocuments();
  }
}

async function start(strata: StrataModuleOptions, projections: unknown[] = [NotesProjection], more: Type[] = []): Promise<NestFastifyApplication> {
  @Module({
    imports: [StrataModule.forRoot({ eventStore: 'memory', ...strata }), StrataModule.forFeature({ projections: projections as never }), ...more],
    controllers: [NotesController],
  })
  class TestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(TestModule, createStrataFastifyAdapter(), { ...STRATA_APP_OPTIONS, logger: false, abortOnError: false });
  configureStrataHttp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('projections in a Nest app', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('discovers @Projection classes from forFeature, runs them on boot and stops them on close', async () => {
    app = await start({ projections: { pollIntervalMs: 10 } });
    const projections = app.get(Projections);
    expect(projections.names).toEqual(['notes']);
    const { position } = await app.get(EventStore).appendToStream('Note-1', [{ type: 'Noted', data: { text: 'hello' } }]);
    expect(await projections.waitFor(position, ['notes'], 5_000)).toEqual({ reached: true, behind: [] });
    expect(await app.get(ReadModels).collection('notes').find({})).toEqual([{ _id: 'Note-1', text: 'hello' }]);
    // Version 2 keeps its read model in collections of its own; queries read them through ReadModels.
    expect(await app.get(DocumentStore).collection('notes').countDocuments()).toBe(0);
    expect(await app.get(DocumentStore).collection('notes__v2').listIndexes()).toEqual([{ name: 'text_1', keys: [['text', 1]], unique: false }]);
    expect(await projections.list()).toEqual([
      expect.objectContaining({ name: 'notes', version: 2, state: 'live', checkpoint: position, lag: 0, parked: 0, holdsLease: true }),
    ]);
    const runner = projections.runner('notes');
    await app.close();
    app = undefined;
    expect(runner.running).toBe(false);
  });

  it('names the known projections when asked for an unknown one', async () => {
    app = await start({});
    expect(() => app?.get(Projections).runner('nope')).toThrow("There is no projection 'nope'. Known projections: notes.");
  });

  it('refuses two projections that write the same collection', async () => {
    @Projection({ name: 'copycat', version: 1, collections: { notes: {} } })
    class CopycatProjection extends OthersProjection {}
    await expect(start({}, [NotesProjection, CopycatProjection])).rejects.toThrow(
      "Projections 'notes' and 'copycat' both declare collection 'notes'; a collection has one writer.",
    );
  });

  it('refuses to start when @ReadsCollections names a collection no projection declares, naming it and the declared ones', async () => {
    @Controller('typo')
    class TypoController {
      @Get()
      @ReadsCollections('notes', 'nots')
      list(): string {
        return 'never served';
      }
    }
    @Module({ controllers: [TypoController] })
    class TypoModule {}
    await expect(start({}, [NotesProjection, OthersProjection], [TypoModule])).rejects.toThrow(
      "@ReadsCollections on TypoController.list names 'nots', which no projection declares, so read-your-writes could not wait for it. " +
        "Declared collections: 'notes', 'others'. Correct the name, or register the projection that writes it with StrataModule.forFeature.",
    );
  });

  it('shows the parked event\'s error as lastError once the projection has moved past it', async () => {
    @Projection({ name: 'picky', version: 1, events: ['Noted'], collections: { picky: {} } })
    class PickyProjection implements ProjectionHandler {
      async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
        if (event.data['text'] === 'poison') throw new Error('cannot take poison');
        await ctx.collection('picky').insertOne({ _id: event.id });
      }
    }
    app = await start({ projections: { pollIntervalMs: 5, maxAttempts: 1 } }, [NotesProjection, PickyProjection]);
    const events = app.get(EventStore);
    const poisoned = await events.appendToStream('Note-p', [{ type: 'Noted', data: { text: 'poison' } }]);
    const { position } = await events.appendToStream('Note-q', [{ type: 'Noted', data: { text: 'fine' } }]);
    const projections = app.get(Projections);
    expect(await projections.waitFor(position, ['picky'], 10_000)).toEqual({ reached: true, behind: [] });
    expect((await projections.list()).filter((status) => status.name === 'picky')).toEqual([
      expect.objectContaining({
        name: 'picky',
        state: 'live',
        parked: 1,
        lastError: `Error: cannot take poison (parked Noted at ${poisoned.position}; 1 parked in all)`,
      }),
    ]);
  });

  it('gives query code read-only collections', async () => {
    app = await start({});
    const notes = app.get(ReadModels).collection('notes') as unknown as Record<string, unknown>;
    expect(Object.keys(notes).sort()).toEqual(['countDocuments', 'find', 'findOne']);
  });

  it('fails at start-up naming the variable when a projection setting is invalid', async () => {
    await expect(start({ env: { STRATA_PROJECTION_BATCH_SIZE: 'lots' } })).rejects.toThrow(
      "STRATA_PROJECTION_BATCH_SIZE: 'lots' is not a whole number from 2 to 100000.",
    );
  });

  describe('X-Strata-Position on a query', () => {
    it('answers once the projection has the write', async () => {
      app = await start({ projections: { pollIntervalMs: 5_000 } });
      const { position } = await app.get(EventStore).appendToStream('Note-2', [{ type: 'Noted', data: { text: 'fresh' } }]);
      const reply = await app.inject({ method: 'GET', url: '/notes', headers: { 'x-strata-position': position } });
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toEqual([{ _id: 'Note-2', text: 'fresh' }]);
    });

    it('answers 503 problem+json with Retry-After when the projections do not catch up in time', async () => {
      app = await start({ projections: { autoStart: false }, consistency: { timeoutMs: 30 } }, [NotesProjection, OthersProjection]);
      const { position } = await app.get(EventStore).appendToStream('Note-3', [{ type: 'Noted', data: { text: 'late' } }]);
      const reply = await app.inject({ method: 'GET', url: '/notes', headers: { 'x-strata-position': position } });
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      // Only the projection behind the endpoint's collections is waited for, and named.
      expect(reply.json()).toMatchObject({
        status: 503,
        code: 'CONSISTENCY_TIMEOUT',
        detail: `The read model is not yet at position ${position}: projection 'notes' did not reach it within 30 ms. Retry the query shortly; nothing was changed.`,
      });
      const all = await app.inject({ method: 'GET', url: '/notes/everything', headers: { 'x-strata-position': position } });
      expect(all.json()).toMatchObject({ code: 'CONSISTENCY_TIMEOUT', detail: expect.stringContaining("projections 'notes', 'others'") as unknown });
    });

    it.each([
      ['not a position', 'yesterday', /is not a position/],
      ['a position past the end of the log', 'ffffffffffffffff', /beyond the end of the log/],
    ])('refuses %s with 400 INVALID_POSITION', async (_case, header, detail) => {
      app = await start({});
      await app.get(EventStore).appendToStream('Note-4', [{ type: 'Noted', data: { text: 'x' } }]);
      const reply = await app.inject({ method: 'GET', url: '/notes', headers: { 'x-strata-position': header } });
      expect(reply.statusCode).toBe(400);
      expect(reply.json()).toMatchObject({ code: 'INVALID_POSITION', detail: expect.stringMatching(detail) as unknown });
    });
  });
});
