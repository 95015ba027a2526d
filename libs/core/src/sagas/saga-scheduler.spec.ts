import type { LoggerService } from '@nestjs/common';
import type { DocumentCollection } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { positionFromSequence } from '../event-store/position';
import { Clock } from './clock';
import { SAGA_DEADLINES, SAGA_OUTBOX, sagaStreamId, type DeadlineDocument } from './saga-documents';
import { SagaScheduler } from './saga-scheduler';

const silent: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };

const NOW = Date.UTC(2026, 0, 1);

class FixedClock extends Clock {
  override now(): number {
    return NOW;
  }
}

/** A store where the saga cancels every deadline right after the scheduler has read it as due. */
class CancellingStore extends InMemoryDocumentStore {
  override collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    const collection = super.collection<T>(name);
    if (name !== SAGA_DEADLINES) return collection;
    const find = async (...args: Parameters<DocumentCollection<T>['find']>): Promise<unknown[]> => {
      const due = await collection.find(...args);
      await collection.deleteMany({});
      return due;
    };
    return Object.assign(Object.create(collection) as DocumentCollection<T>, { find });
  }
}

function deadline(key: string, action: DeadlineDocument['action']): DeadlineDocument {
  return { _id: `job/j1/${key}`, saga: 'job', instanceId: 'j1', key, dueAt: NOW - 1, scheduledBy: positionFromSequence(1), correlationId: null, action };
}

describe('SagaScheduler', () => {
  it('does not fire a deadline the saga cancelled after it was read as due', async () => {
    const documents = new CancellingStore();
    const events = new InMemoryEventStore();
    const { _id: commandId, ...command } = deadline('remind', { command: { type: 'Remind', data: {} } });
    const { _id: eventId, ...timeout } = deadline('timeout', { event: { type: 'TimedOut', data: {} } });
    await documents.collection(SAGA_DEADLINES).replaceOne({ _id: commandId }, command, { upsert: true });
    await documents.collection(SAGA_DEADLINES).replaceOne({ _id: eventId }, timeout, { upsert: true });
    const scheduler = new SagaScheduler(documents, events, new FixedClock(), { pollIntervalMs: 5, leaseTtlMs: 1_000 }, 'test', silent, () => undefined);

    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await scheduler.stop();

    expect(await documents.collection(SAGA_OUTBOX).countDocuments()).toBe(0);
    expect((await events.readAll()).events.filter((event) => event.streamId === sagaStreamId('job', 'j1'))).toEqual([]);
  });
});
