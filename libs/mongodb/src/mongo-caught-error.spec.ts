import { InMemoryEventStore, ParkedEvents, type ProjectionContext, type RecordedEvent } from '@strata/core';
import { DEFAULT_PROJECTION_SETTINGS, newLeaseOwner, ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '@strata/core/adapter';
import { eventually } from '@strata/testing';
import { StandInServer } from '../test/mongo-stand-in';
import { MongoDocumentStore } from './mongo-document-store';

// A handler that catches a store error and carries on, at the client boundary: on a replica set
// the first write the server refuses aborts the whole transaction, and every later operation and
// the commit fail (the stand-in does the same). The projection must park the event whose handler
// met the refusal and go on, not retry the batch for ever.

const SETTINGS = { ...DEFAULT_PROJECTION_SETTINGS, batchSize: 10, pollIntervalMs: 20, leaseTtlMs: 600, maxAttempts: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20 };
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Counts each application of an event; on n = 4 it first tries an `$inc` on a string, and catches every error. */
function forgiving(caught: unknown[]): RegisteredProjection {
  return {
    options: { name: 'ledger', version: 1, events: ['Counted'], collections: { applied: {}, notes: {} } },
    handler: {
      async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
        try {
          if (event.data['n'] === 4) await ctx.collection('notes').updateOne({ _id: 'label' }, { $inc: { text: 1 } });
          await ctx.collection('applied').updateOne({ _id: event.position }, { $inc: { count: 1 }, $set: { n: event.data['n'] } }, { upsert: true });
        } catch (error) {
          caught.push(error);
        }
      },
    },
  };
}

describe('a MongoDB projection whose handler catches a server error', () => {
  let runner: ProjectionRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  it('parks the event whose handler met the refusal, holds its stream behind it, applies the other streams once, and moves the checkpoint past them', async () => {
    const server = new StandInServer();
    const documents = await MongoDocumentStore.connectWith(server.client(), 'strata');
    const events = new InMemoryEventStore();
    await documents.collection('notes').insertOne({ _id: 'label', text: 'not a number' });
    for (let n = 1; n <= 6; n++) await events.appendToStream(`Counter-${n % 3}`, [{ type: 'Counted', data: { n } }]);
    const caught: unknown[] = [];
    const applied = () => documents.collection('applied').find({}, { sort: { n: 1 } });
    const parked = () => new ParkedEvents(documents).list(projectionCheckpointName('ledger'));

    runner = new ProjectionRunner(forgiving(caught), events, documents, SETTINGS, newLeaseOwner(), quiet);
    runner.start();
    await eventually(async () => expect([(await parked()).length, (await applied()).length]).toEqual([1, 5]));
    // Another stream goes on; the poison's own stream waits behind it (dead letters keep order).
    await events.appendToStream('Counter-2', [{ type: 'Counted', data: { n: 7 } }]);
    await events.appendToStream('Counter-1', [{ type: 'Counted', data: { n: 8 } }]);
    await eventually(async () => expect([(await applied()).length, (await parked()).length]).toEqual([6, 2]));

    expect((await applied()).map((doc) => [doc['n'], doc['count']])).toEqual([1, 2, 3, 5, 6, 7].map((n) => [n, 1]));
    const [poison, held] = await parked();
    expect(poison).toMatchObject({ streamId: 'Counter-1', attempts: 3 });
    expect(held).toMatchObject({ streamId: 'Counter-1', held: true });
    expect(poison?.error).toMatch(/Cannot apply \$inc to a value of non-numeric type/);
    // Only event 4's handler met an error, once per attempt: later events ran in units of their own.
    expect(caught.map((error) => (error as { code?: unknown }).code)).toEqual(['INVALID_UPDATE', 'INVALID_UPDATE', 'INVALID_UPDATE']);
    expect(await documents.getCheckpoint(projectionCheckpointName('ledger'))).toBe(await events.headPosition());
    expect(await documents.collection('notes').findOne({ _id: 'label' })).toEqual({ _id: 'label', text: 'not a number' });
    const subject = runner;
    await eventually(async () => expect(await subject.status()).toMatchObject({ state: 'live', parked: 2, lag: 0 }));
  });
});
