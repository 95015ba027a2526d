import type { LoggerService } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-context';
import { DecideCommand } from '../commands/decide-command';
import { WriteConflictError } from '../documents/document-errors';
import type { DocumentTransaction } from '../documents/document-store';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { DomainError } from '../errors/strata-error';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { SystemClock } from './clock';
import { SAGA_OUTBOX, type OutboxDocument } from './saga-documents';
import { SagaDispatcher, type DispatcherSettings } from './saga-dispatcher';
import type { SagaOptions } from './saga-options';

const silent: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A store whose first unit of work fails with a write conflict, as a racing writer would make it. */
class OnceConflictingStore extends InMemoryDocumentStore {
  private conflicted = false;

  override async transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    if (this.conflicted) return super.transaction(work);
    this.conflicted = true;
    throw new WriteConflictError(SAGA_OUTBOX, 'any');
  }
}

class RefusedError extends DomainError {
  constructor() {
    super('REFUSED', 'No.');
  }
}

const settings: DispatcherSettings = { pollIntervalMs: 5, leaseTtlMs: 1_000, maxAttempts: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 5, concurrency: 8 };
const options: SagaOptions = {
  name: 'job',
  version: 1,
  handles: ['JobRequested'],
  startedBy: ['JobRequested'],
  commands: { Fast: (_data: unknown, context: CommandContext) => ({ kind: 'fast', context }), Slow: (_data: unknown, context: CommandContext) => ({ kind: 'slow', context }) },
};

function entry(id: string, instanceId: string, type: string): Omit<OutboxDocument, '_id'> & { readonly id: string } {
  return { id, saga: 'job', instanceId, command: { type, data: {} }, correlationId: null, causationId: 'e1', createdAt: 0, attempts: 0, nextAttemptAt: 0, rejection: null };
}

describe('SagaDispatcher', () => {
  it('lets every command in flight finish before another turn reads the outbox again', async () => {
    const documents = new OnceConflictingStore();
    for (const { id, ...doc } of [entry('fast-1', 'i1', 'Fast'), entry('slow-1', 'i2', 'Slow')]) {
      await documents.collection(SAGA_OUTBOX).replaceOne({ _id: id }, doc, { upsert: true });
    }
    const executed: string[] = [];
    const bus = {
      // The slow command is refused only after the fast one's bookkeeping has failed.
      execute: async (command: { kind: string; context: CommandContext }) => {
        executed.push(command.context.commandId ?? '');
        if (command.kind === 'slow') {
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new RefusedError();
        }
      },
    } as unknown as CommandBus;
    const dispatcher = new SagaDispatcher(documents, new InMemoryEventStore(), bus, new Map([['job', options]]), new SystemClock(), settings, 'test', silent);

    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await dispatcher.stop();

    expect(executed.filter((id) => id === 'slow-1')).toEqual(['slow-1']);
    expect(await documents.collection(SAGA_OUTBOX).countDocuments()).toBe(0);
  });

  it('sends each command once when many finish at the same time', async () => {
    const documents = new InMemoryDocumentStore();
    for (let n = 0; n < 40; n++) {
      const { id, ...doc } = entry(`fast-${n}`, `i${n}`, 'Fast');
      await documents.collection(SAGA_OUTBOX).replaceOne({ _id: id }, doc, { upsert: true });
    }
    const executed: string[] = [];
    // Commands finish together, at each tick of a shared gate, so the workers' bookkeeping units of work overlap.
    let open: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (open = resolve));
    const ticks = setInterval(() => {
      const release = open;
      gate = new Promise<void>((resolve) => (open = resolve));
      release();
    }, 5);
    const bus = {
      execute: async (command: { context: CommandContext }) => {
        await gate;
        executed.push(command.context.commandId ?? '');
      },
    } as unknown as CommandBus;
    const dispatcher = new SagaDispatcher(documents, new InMemoryEventStore(), bus, new Map([['job', options]]), new SystemClock(), settings, 'test', silent);

    dispatcher.start();
    const until = Date.now() + 5_000;
    while ((await documents.collection(SAGA_OUTBOX).countDocuments()) > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    await dispatcher.stop();
    clearInterval(ticks);

    expect(executed).toHaveLength(40);
    expect(new Set(executed).size).toBe(40);
  });

  it('sends a decider command as a DecideCommand with the engine’s context, without a commands map entry', async () => {
    const documents = new InMemoryDocumentStore();
    const command = { type: 'Ship', data: { orderId: 'o1' }, to: { decider: 'Shipment', id: 's1' } };
    await documents.collection(SAGA_OUTBOX).replaceOne({ _id: 'ship-1' }, { ...entry('ship-1', 'i1', 'Ship'), command, correlationId: 'corr-1' }, { upsert: true });
    const executed: unknown[] = [];
    const bus = { execute: async (sent: unknown) => void executed.push(sent) } as unknown as CommandBus;
    const dispatcher = new SagaDispatcher(documents, new InMemoryEventStore(), bus, new Map([['job', options]]), new SystemClock(), settings, 'test', silent);

    dispatcher.start();
    const until = Date.now() + 5_000;
    while ((await documents.collection(SAGA_OUTBOX).countDocuments()) > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    await dispatcher.stop();

    expect(executed).toEqual([new DecideCommand('Shipment', 's1', { type: 'Ship', orderId: 'o1' }, { commandId: 'ship-1', causationId: 'e1', correlationId: 'corr-1' })]);
  });
});
