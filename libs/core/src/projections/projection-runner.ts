import { Logger, type LoggerService } from '@nestjs/common';
import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { ParkedEvents } from './parked-events';
import { applyEvents, createProjectionContext, ProjectionHandlerError } from './projection-context';
import type { ProjectionHandler } from './projection-handler';
import { hasCode, Lease, LeaseLostError } from './projection-lease';
import type { ProjectionOptions } from './projection-options';
import type { ProjectionSettings } from './projection-settings';
import type { ProjectionState, ProjectionStatus } from './projection-status';
import { WakeUp } from './wake-up';

/** A projection instance with the options its decorator declared. */
export interface RegisteredProjection {
  readonly handler: ProjectionHandler<never>;
  readonly options: ProjectionOptions;
  /** Names the checkpoint, lease and parked events; `projection:<name>` unless given (sagas use `saga:<name>`). */
  readonly subscription?: string;
}

/** The checkpoint name under which a projection's position is stored. */
export function projectionCheckpointName(name: string): string {
  return `projection:${name}`;
}

/**
 * Keeps one projection's read model up to date: takes the lease, reads the log from the
 * stored checkpoint in batches, applies each batch and its checkpoint in one unit of work,
 * then follows live appends (polling, and woken at once by appends in this process).
 * A failing event is retried with backoff, then parked, and the projection moves on.
 */
export class ProjectionRunner {
  readonly lease: Lease;
  private readonly checkpointName: string;
  private readonly retryPolicy: RetryPolicy;
  private readonly appended = new WakeUp();
  private readonly committed = new WakeUp();
  private state: ProjectionState = 'idle';
  private checkpoint: Position | null = null;
  private leader = false;
  private indexesDeclared = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastError: string | null = null;
  private readonly commitListeners = new Set<(position: Position) => void>();

  constructor(
    private readonly projection: RegisteredProjection,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly settings: ProjectionSettings,
    owner: string,
    private readonly logger: LoggerService = new Logger('Projections'),
    private readonly now: () => number = Date.now,
  ) {
    this.checkpointName = projection.subscription ?? projectionCheckpointName(projection.options.name);
    this.lease = new Lease(documents, this.checkpointName, owner, settings.leaseTtlMs, now);
    this.retryPolicy = {
      maxAttempts: settings.maxAttempts,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs,
    };
  }

  get name(): string {
    return this.projection.options.name;
  }

  get options(): ProjectionOptions {
    return this.projection.options;
  }

  get running(): boolean {
    return this.loop !== null;
  }

  /** Starts following in the background; `stop` ends it. Starting twice is a no-op. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unsubscribe = this.events.onAppended(() => this.appended.wake());
    this.loop = this.run();
  }

  /** Stops after the batch in flight commits (or rolls back), then releases the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.appended.wake();
    await this.loop;
    this.loop = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.leader) {
      this.leader = false;
      try {
        await this.lease.release();
      } catch (error) {
        // It expires on its own; another process then waits out the TTL instead of taking it at once.
        this.logger.warn(`Projection '${this.name}' could not release its lease: ${messageOf(error)}`);
      }
    }
    this.state = 'stopped';
  }

  /** Resolves true once the committed checkpoint is at or past `position`, false at `deadline`. */
  async waitFor(position: Position, deadline: number): Promise<boolean> {
    for (;;) {
      const checkpoint = this.leader ? this.checkpoint : await this.documents.getCheckpoint(this.checkpointName);
      if (checkpoint !== null && comparePositions(checkpoint, position) >= 0) return true;
      const remaining = deadline - this.now();
      if (remaining <= 0) return false;
      // The leader is woken by its own commits; another process's commits can only be polled.
      await this.committed.sleep(this.leader ? remaining : Math.min(remaining, 20));
    }
  }

  async status(): Promise<ProjectionStatus> {
    const [checkpoint, head, parked] = await Promise.all([
      this.documents.getCheckpoint(this.checkpointName),
      this.events.headPosition(),
      new ParkedEvents(this.documents).count(this.checkpointName),
    ]);
    return {
      name: this.name,
      version: this.options.version,
      state: this.state,
      checkpoint,
      head,
      lag: this.events.eventsBetween(checkpoint, head),
      parked,
      holdsLease: this.leader,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.step();
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        if (hasCode(error, 'LEASE_LOST', 'WRITE_CONFLICT')) {
          // Another process took over (or rewrote the read model, as a replay does): stand by,
          // and reload the checkpoint if the lease comes back.
          this.logger.warn(`Projection '${this.name}' lost its lease and stands by: ${messageOf(error)}`);
          this.leader = false;
          this.state = 'standby';
          continue;
        }
        failures += 1;
        this.state = 'failing';
        this.lastError = messageOf(error);
        const delay = Math.max(this.retryPolicy.baseDelayMs, backoffDelay(this.retryPolicy, failures));
        this.logger.error(`Projection '${this.name}' failed (attempt ${failures}), retrying in ${delay} ms: ${this.lastError}`);
        await this.appended.sleep(delay);
      }
    }
  }

  /** One turn of the loop: hold the lease, then apply one batch or idle until there is one. */
  private async step(): Promise<void> {
    if (!this.indexesDeclared) {
      await this.declareIndexes();
      this.indexesDeclared = true;
    }
    if (!this.leader) {
      if (!(await this.lease.tryAcquire())) {
        this.state = 'standby';
        await this.appended.sleep(Math.max(this.settings.pollIntervalMs, this.settings.leaseTtlMs / 3));
        return;
      }
      this.leader = true;
      this.checkpoint = await this.documents.getCheckpoint(this.checkpointName);
      this.logger.log(`Projection '${this.name}' v${this.options.version} runs here from ${this.checkpoint ?? 'the start'}.`);
    }
    // The head is read first: once a page reaches the end of the log, everything up to this
    // head has been seen, even events the filter left out, so the checkpoint may move there.
    const head = await this.events.headPosition();
    const page = await this.events.readAll({
      ...(this.checkpoint === null ? {} : { fromPosition: this.checkpoint }),
      // The page starts at the checkpoint itself (fromPosition is inclusive), so read one more.
      maxCount: this.checkpoint === null ? this.settings.batchSize : this.settings.batchSize + 1,
      ...(this.options.events === undefined ? {} : { filter: { eventTypes: this.options.events } }),
    });
    const checkpoint = this.checkpoint;
    const fresh = checkpoint === null ? page.events : page.events.filter((event) => comparePositions(event.position, checkpoint) > 0);
    const reachedEnd = page.nextPosition === null;
    let target = fresh[fresh.length - 1]?.position ?? null;
    if (reachedEnd && head !== null && isAfter(head, target) && isAfter(head, checkpoint)) target = head;
    if (target === null) {
      this.state = 'live';
      this.lastError = null;
      if (!(await this.lease.renewIfDue())) throw new LeaseLostError(this.checkpointName);
      await this.appended.sleep(this.settings.pollIntervalMs);
      return;
    }
    this.state = reachedEnd ? 'live' : 'catching-up';
    await this.applyBatch(fresh, target);
    // A synchronous store resolves every await at once, so a catch-up would otherwise run as
    // one long chain of microtasks and starve HTTP; give the event loop a turn per batch.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async applyBatch(events: readonly RecordedEvent[], target: Position): Promise<void> {
    try {
      await this.commit(events, target);
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      await this.recover(events, error);
    }
  }

  /** Applies what came before the failing event, retries it alone with backoff, then parks it. */
  private async recover(events: readonly RecordedEvent[], failure: ProjectionHandlerError): Promise<void> {
    if (failure.index > 0) {
      const before = events.slice(0, failure.index);
      await this.applyBatch(before, (before[before.length - 1] as RecordedEvent).position);
    }
    const poison = failure.event;
    let lastError: unknown = failure.cause;
    for (let attempt = 2; attempt <= this.settings.maxAttempts; attempt++) {
      this.state = 'failing';
      this.lastError = messageOf(lastError);
      const delay = Math.max(1, backoffDelay(this.retryPolicy, attempt - 1));
      this.logger.warn(`Projection '${this.name}' retries ${poison.type} at ${poison.position} in ${delay} ms (attempt ${attempt} of ${this.settings.maxAttempts}): ${this.lastError}`);
      await this.stopAwareSleep(delay);
      if (this.stopping) return;
      try {
        await this.commit([poison], poison.position);
        return;
      } catch (error) {
        if (!(error instanceof ProjectionHandlerError)) throw error;
        lastError = error.cause;
      }
    }
    await this.documents.transaction(async (tx) => {
      await this.lease.fence(tx);
      await ParkedEvents.park(tx, this.checkpointName, poison, lastError, this.settings.maxAttempts);
      await tx.setCheckpoint(this.checkpointName, poison.position);
    });
    this.advanceTo(poison.position);
    this.logger.error(
      `Projection '${this.name}' parked ${poison.type} at ${poison.position} (stream ${poison.streamId}) after ${this.settings.maxAttempts} attempts and moved on: ${messageOf(lastError)}`,
    );
  }

  private async commit(events: readonly RecordedEvent[], target: Position): Promise<void> {
    await this.documents.transaction(async (tx) => {
      await this.lease.fence(tx);
      await applyEvents(this.projection.handler, this.options, events, createProjectionContext(this.options, tx));
      await tx.setCheckpoint(this.checkpointName, target);
    });
    this.advanceTo(target);
    this.lastError = null;
  }

  private advanceTo(position: Position): void {
    this.checkpoint = position;
    this.committed.wake();
    for (const listener of this.commitListeners) listener(position);
  }

  /** Calls `listener` after each batch this runner commits (a saga's dispatcher wakes on it). */
  onCommitted(listener: (position: Position) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private async declareIndexes(): Promise<void> {
    for (const [collection, declaration] of Object.entries(this.options.collections)) {
      for (const index of declaration.indexes ?? []) {
        await this.documents.collection(collection).createIndex(index.keys, index.options);
      }
    }
  }

  /** Sleeps through appends (a retry must wait its backoff) but not through a stop. */
  private async stopAwareSleep(ms: number): Promise<void> {
    const until = this.now() + ms;
    while (!this.stopping && this.now() < until) await this.appended.sleep(until - this.now());
  }
}

function isAfter(position: Position, other: Position | null): boolean {
  return other === null || comparePositions(position, other) > 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
