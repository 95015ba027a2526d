import type { LoggerService } from '@nestjs/common';
import type { CommandBus, ICommand } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-context';
import { DecideCommand } from '../commands/decide-command';
import { deriveId } from '../commands/event-ids';
import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore } from '../documents/document-store';
import { DomainError, StrataError } from '../errors/strata-error';
import type { EventStore } from '../event-store/event-store';
import { httpStatusOf } from '../http/http-status';
import type { Clock } from './clock';
import { LeasedLoop } from './leased-loop';
import { SAGA_OUTBOX, sagaStreamId, type OutboxDocument } from './saga-documents';
import { SAGA_COMMAND_FAILED, type SagaCommandFailed } from './saga-messages';
import type { SagaOptions } from './saga-options';
import { contextFromCarrier, inSpan } from '../observability/tracing';

/** How the dispatcher paces itself. */
export interface DispatcherSettings {
  readonly pollIntervalMs: number;
  readonly leaseTtlMs: number;
  /** Attempts at a command that fails for a reason other than the domain refusing it. */
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Commands of different instances sent at once; one instance's commands go in order. */
  readonly concurrency: number;
}

/**
 * Sends the saga outbox through the `CommandBus`. Each command carries the id the saga step
 * derived for it, so a command sent again after a crash is a no-op repeat. A command the
 * domain refuses is marked, delivered to its saga as `SagaCommandFailed` (on the instance's
 * own stream, with an id derived from the command's), and never sent again.
 */
export class SagaDispatcher extends LeasedLoop {
  private readonly retry: RetryPolicy;

  constructor(
    documents: DocumentStore,
    private readonly events: EventStore,
    private readonly commandBus: CommandBus,
    private readonly sagas: ReadonlyMap<string, SagaOptions>,
    private readonly clock: Clock,
    private readonly settings: DispatcherSettings,
    owner: string,
    logger: LoggerService,
  ) {
    super(documents, 'saga:dispatcher', owner, settings, logger);
    this.retry = { maxAttempts: settings.maxAttempts, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs };
  }

  protected override async turn(): Promise<boolean> {
    const limit = this.settings.concurrency * 4;
    const due = await this.documents
      .collection<OutboxDocument>(SAGA_OUTBOX)
      .find({ nextAttemptAt: { $lte: this.clock.now() } }, { sort: { createdAt: 1, _id: 1 }, limit });
    if (due.length === 0) return false;
    const byInstance = new Map<string, OutboxDocument[]>();
    for (const doc of due) {
      const key = `${doc.saga}/${doc.instanceId}`;
      byInstance.set(key, [...(byInstance.get(key) ?? []), doc]);
    }
    const queues = [...byInstance.values()];
    const workers = Array.from({ length: Math.min(this.settings.concurrency, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const doc of queue) if (!(await this.dispatch(doc))) break;
      }
    });
    // Every worker must finish before the turn ends, even when one fails: a command still in
    // flight would otherwise be read as due by the next turn and sent a second time.
    const failed = (await Promise.allSettled(workers)).find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return due.length === limit;
  }

  /** Sends one command; false when it must wait for a retry (its instance's later commands wait too). */
  private async dispatch(doc: OutboxDocument): Promise<boolean> {
    if (doc.rejection !== null) {
      await this.deliverFailure(doc, doc.rejection);
      return true;
    }
    const command = this.busCommand(doc);
    if (!command) {
      await this.reject(doc, { code: 'UNKNOWN_SAGA_COMMAND', message: `No saga '${doc.saga}' with a ${doc.command.type} command is registered.` });
      return true;
    }
    try {
      // A child of the triggering event's command span (from the outbox), so the saga's
      // commands show up in the trace of the request that started it.
      const attributes = { 'strata.saga': doc.saga, 'strata.saga_instance': doc.instanceId, 'strata.command': doc.command.type, 'strata.command_id': doc._id };
      await inSpan(`strata.saga.dispatch ${doc.command.type}`, { attributes, parent: contextFromCarrier(doc.trace), isFault: (error) => !isRefusal(error) }, () =>
        this.commandBus.execute(command),
      );
    } catch (error) {
      if (isRefusal(error)) {
        await this.reject(doc, { code: error.code, message: error.message });
        return true;
      }
      const attempts = doc.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      if (attempts >= this.settings.maxAttempts) {
        await this.reject(doc, { code: 'DISPATCH_FAILED', message: `Gave up after ${attempts} attempts: ${message}` });
        return true;
      }
      const delay = Math.max(1, backoffDelay(this.retry, attempts));
      this.logger.warn(`Saga '${doc.saga}' command ${doc.command.type} (${doc._id}) failed, retrying in ${delay} ms: ${message}`);
      await this.fenced((tx) =>
        tx.collection<OutboxDocument>(SAGA_OUTBOX).updateOne({ _id: doc._id }, { $set: { attempts, nextAttemptAt: this.clock.now() + delay } }),
      );
      return false;
    }
    await this.fenced((tx) => tx.collection<OutboxDocument>(SAGA_OUTBOX).deleteOne({ _id: doc._id }));
    return true;
  }

  /** The bus command an outbox entry becomes: a decider's command as it is, else what the saga's `commands` map builds. */
  private busCommand(doc: OutboxDocument): ICommand | undefined {
    const context: CommandContext = {
      commandId: doc._id,
      causationId: doc.causationId,
      ...(doc.correlationId === null ? {} : { correlationId: doc.correlationId }),
    };
    const { type, data, to } = doc.command;
    if (to !== undefined) return new DecideCommand(to.decider, to.id, { type, ...data }, context);
    const factory = this.sagas.get(doc.saga)?.commands?.[type];
    return factory?.(data as never, context);
  }

  /** Records the refusal first, so after a crash the command is never sent again, only its failure delivered. */
  private async reject(doc: OutboxDocument, rejection: { code: string; message: string }): Promise<void> {
    await this.fenced((tx) => tx.collection<OutboxDocument>(SAGA_OUTBOX).updateOne({ _id: doc._id }, { $set: { rejection } }));
    await this.deliverFailure(doc, rejection);
  }

  private async deliverFailure(doc: OutboxDocument, rejection: { code: string; message: string }): Promise<void> {
    const failed: SagaCommandFailed['data'] = { commandId: doc._id, command: doc.command, error: rejection };
    await this.events.appendToStream(
      sagaStreamId(doc.saga, doc.instanceId),
      [
        {
          id: deriveId('saga-command-failed', doc._id),
          type: SAGA_COMMAND_FAILED,
          data: failed,
          metadata: { causationId: doc._id, ...(doc.correlationId === null ? {} : { correlationId: doc.correlationId }) },
        },
      ],
      { expectedRevision: 'any' },
    );
    await this.fenced((tx) => tx.collection<OutboxDocument>(SAGA_OUTBOX).deleteOne({ _id: doc._id }));
    this.logger.log(`Saga '${doc.saga}' instance ${doc.instanceId}: ${doc.command.type} was refused (${rejection.code}); the saga is told.`);
  }
}

/** The domain said no (a 4xx other than a conflict): retrying cannot change that. */
function isRefusal(error: unknown): error is StrataError {
  if (error instanceof DomainError) return true;
  if (!StrataError.isStrataError(error)) return false;
  const status = httpStatusOf(error);
  return status >= 400 && status < 500 && status !== 409;
}
