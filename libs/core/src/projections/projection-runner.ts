import { Logger, type LoggerService } from '@nestjs/common';
import type { RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import { StrataError } from '../errors/strata-error';
import { commitWithRecovery, type BatchSink } from './batch-recovery';
import { readBatch } from './log-batch';
import { ParkedEvents } from './parked-events';
import { LeaseBatchLimit } from './lease-batch-limit';
import { ParkingOrder, type OrderedBatch } from './parking-order';
import { applyEvents } from './projection-context';
import { hasCode, Lease } from './projection-lease';
import { LeaseLoop, type LeaseLoopVerdict } from '../leases/lease-loop';
import type { ProjectionOptions } from './projection-options';
import type { ProjectionSettings } from './projection-settings';
import type { ProjectionState, ProjectionStatus } from './projection-status';
import { ProjectionVersions } from './projection-versions';
import { physicalCollections, subscriptionOf, type RegisteredProjection } from './registered-projection';
import { VersionPresence } from './version-presence';
import { WakeUp } from './wake-up';
import { reportWrite } from '../observability/storage-health';
import { inSpan } from '../observability/tracing';

export { projectionCheckpointName, type RegisteredProjection } from './registered-projection';

/**
 * Keeps one projection's read model up to date: takes the lease, reads the log from the
 * stored checkpoint in batches, applies each batch and its checkpoint in one unit of work,
 * then follows live appends (polling, and woken at once by appends in this process).
 * A failing event is retried with backoff, then parked, and the projection moves on; later
 * events of its partition (stream) are parked behind it, in order, until a retry or skip.
 * Each `version` has a read model of its own (collections, checkpoint, lease): a new version
 * builds from the start of the log while processes of the old one keep serving theirs.
 * Whether it holds the lease or not, the runner says which version this process serves
 * (`VersionPresence`). A saga's runner shares one subscription across versions and stands
 * aside while a newer version of it runs elsewhere.
 */
export class ProjectionRunner {
  readonly lease: Lease;
  private readonly checkpointName: string;
  private readonly physical: (collection: string) => string;
  private readonly presence: VersionPresence;
  private readonly retryPolicy: RetryPolicy;
  private readonly order: ParkingOrder;
  private readonly committed = new WakeUp();
  private readonly loop: LeaseLoop;
  private state: ProjectionState = 'idle';
  private checkpoint: Position | null = null;
  private indexesDeclared = false;
  private unsubscribe: (() => void) | null = null;
  private lastError: string | null = null;
  private readonly commitListeners = new Set<(position: Position) => void>();
  /** Events per batch now: the setting, cut down while batches take long. */
  private readonly batchLimit: LeaseBatchLimit;

  constructor(
    readonly projection: RegisteredProjection,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly settings: ProjectionSettings,
    private readonly owner: string,
    private readonly logger: LoggerService = new Logger('Projections'),
    private readonly now: () => number = Date.now,
  ) {
    this.checkpointName = subscriptionOf(projection);
    this.physical = physicalCollections(projection);
    this.presence = new VersionPresence(projection, events, documents, owner, settings.leaseTtlMs, now);
    this.lease = new Lease(documents, this.checkpointName, owner, settings.leaseTtlMs, now);
    this.batchLimit = new LeaseBatchLimit(settings.batchSize, settings.leaseTtlMs);
    this.retryPolicy = {
      maxAttempts: settings.maxAttempts,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs,
    };
    this.order = new ParkingOrder(projection.options.partitionKey);
    const timing = { idleMs: settings.pollIntervalMs, standbyMs: this.standbyPollMs, failureBaseDelayMs: settings.retryBaseDelayMs, failureMaxDelayMs: settings.retryMaxDelayMs };
    this.loop = new LeaseLoop(
      this.lease,
      timing,
      {
        mayLead: () => this.mayLead(),
        onAcquired: () => this.acquired(),
        turn: () => this.step(),
        idleReport: () => ({ state: 'live', error: null }),
        onStandby: async () => {
          await this.declareIndexes();
          this.state = 'standby';
        },
        onFailure: (error, failures) => this.onFailure(error, failures),
      },
      logger,
    );
  }

  get name(): string {
    return this.projection.options.name;
  }

  get options(): ProjectionOptions {
    return this.projection.options;
  }

  /**
   * How often a runner on standby asks for the lease: about a second, so it resumes soon after
   * a replay or an operator's retry releases it, but never more often than it polls the log.
   */
  private get standbyPollMs(): number {
    return Math.max(this.settings.pollIntervalMs, Math.min(1_000, this.settings.leaseTtlMs / 3));
  }

  get running(): boolean {
    return this.loop.running;
  }

  private get leader(): boolean {
    return this.loop.holdsLease;
  }

  private get stopping(): boolean {
    return this.loop.isStopping;
  }

  /** Starts following in the background; `stop` ends it. Starting twice is a no-op. */
  start(): void {
    if (this.loop.running) return;
    this.unsubscribe = this.events.onAppended(() => this.loop.wake());
    this.loop.start();
  }

  /** Stops after the batch in flight commits (or rolls back), then releases the lease. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    try {
      await this.presence.leave();
    } catch (error) {
      this.logger.warn(`Projection '${this.name}' could not say it stopped serving; its entry lapses on its own: ${messageOf(error)}`);
    }
    this.state = 'stopped';
  }

  /** Whether this version's read model has caught up with the log since this process started (`VersionPresence.caughtUp`). */
  caughtUp(): Promise<boolean> {
    return this.presence.caughtUp();
  }

  /** The physical collection this version reads and writes for a declared one. */
  physicalName(collection: string): string {
    return this.physical(collection);
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
    const parkedEvents = new ParkedEvents(this.documents);
    const [checkpoint, head, parked] = await Promise.all([
      this.documents.getCheckpoint(this.checkpointName),
      this.events.headPosition(),
      parkedEvents.count(this.checkpointName),
    ]);
    // A park moves the runner on, and the next commit clears its error; while events stay
    // parked, the last of them is still the error an operator has to act on.
    const parkedError = async (): Promise<string | null> => {
      const latest = await parkedEvents.latest(this.checkpointName);
      return latest ? `${latest.error} (parked ${latest.eventType} at ${latest.position}; ${parked} parked in all)` : null;
    };
    const lastError = this.lastError ?? (parked > 0 ? await parkedError() : null);
    return {
      name: this.name,
      version: this.options.version,
      state: this.state,
      checkpoint,
      head,
      lag: this.events.eventsBetween(checkpoint, head),
      parked,
      holdsLease: this.leader,
      lastError,
    };
  }

  /** How the loop goes on after a failed turn; a failure of the store or a handler backs off and reports on the lease. */
  private async onFailure(error: unknown, failures: number): Promise<LeaseLoopVerdict> {
    if (hasCode(error, 'LEASE_LOST', 'WRITE_CONFLICT')) {
      // Another process took over (or rewrote the read model, as a replay does): stand by,
      // and reload the checkpoint if the lease comes back.
      this.logger.warn(`Projection '${this.name}' lost its lease and stands by: ${messageOf(error)}`);
      this.state = 'standby';
      return 'standby';
    }
    if (hasCode(error, 'CHECKPOINT_MOVED', 'PARKED_CHANGED')) {
      // An earlier commit went through after all, or an operator changed what is parked: take the lease and reload.
      this.logger.warn(`Projection '${this.name}' reloads its checkpoint and parked events: ${messageOf(error)}`);
      return 'reacquire';
    }
    if (hasCode(error, 'REPLAY_IN_PROGRESS')) {
      // Another process rebuilds this projection (at this version too, by the same code); its swap moves us on.
      this.logger.warn(`Projection '${this.name}' waits for a replay elsewhere: ${messageOf(error)}`);
      this.state = 'rebuilding';
      return this.standbyPollMs;
    }
    reportWrite(error);
    this.state = 'failing';
    this.lastError = messageOf(error);
    if (this.leader) await this.lease.report({ state: 'failing', error: this.lastError });
    this.logger.error(`Projection '${this.name}' failed (attempt ${failures}), retrying with backoff: ${this.lastError}`);
    return 'backoff';
  }

  /** Asked before every round: says this process serves its version, and yields a saga to a newer version running elsewhere. */
  private async mayLead(): Promise<boolean> {
    await this.presence.beat();
    if (!this.presence.outranked) return true;
    if (this.leader) this.logger.log(`Saga '${this.name}' v${this.options.version} hands over to a newer version running elsewhere.`);
    return false;
  }

  /** Just took the lease: record this version, then load the checkpoint and what is parked. */
  private async acquired(): Promise<void> {
    await this.declareIndexes();
    if (this.projection.subscription === undefined) {
      await this.documents.transaction(async (tx) => {
        await this.lease.fence(tx);
        await ProjectionVersions.record(tx, this.options);
      });
    }
    this.checkpoint = await this.documents.getCheckpoint(this.checkpointName);
    // An operator's retry or skip (or a replay's swap) took the lease to change these: read them afresh.
    this.order.reset(await new ParkedEvents(this.documents).heldPartitions(this.checkpointName));
    this.logger.log(`Projection '${this.name}' v${this.options.version} runs here from ${this.checkpoint ?? 'the start'}.`);
  }

  /** One turn under the lease: apply one batch (true: read on at once), or find nothing new (false: idle). */
  private async step(): Promise<boolean> {
    const batch = await readBatch(this.events, this.checkpoint, this.batchLimit.size, this.options.events);
    if (batch.target === null) {
      this.presence.reached();
      this.state = 'live';
      this.lastError = null;
      return false;
    }
    this.state = batch.reachedEnd ? 'live' : 'catching-up';
    const started = this.now();
    try {
      await commitWithRecovery(this.sink, batch.events, batch.target, this.retryPolicy, this.order);
    } finally {
      this.batchLimit.record(batch.events.length, this.now() - started);
    }
    return true;
  }

  /** Where batches go: the live collections, fenced by the lease, with the checkpoint. */
  private readonly sink: BatchSink = {
    commit: (batch, target) => this.commit(batch, target),
    park: async (poison, error, attempts) => {
      await this.documents.transaction(async (tx) => {
        await this.lease.fence(tx, { state: 'failing', error: messageOf(error) });
        await ParkedEvents.park(tx, this.checkpointName, poison, this.order.partitionOf(poison), error, attempts);
        await tx.setCheckpoint(this.checkpointName, poison.position);
      });
      this.advanceTo(poison.position);
      this.logger.error(
        `Projection '${this.name}' parked ${poison.type} at ${poison.position} (stream ${poison.streamId}) after ${attempts} attempts and moved on, holding later events of '${this.order.partitionOf(poison)}' behind it: ${messageOf(error)}`,
      );
    },
    beforeRetry: async (poison, attempt, delay, error) => {
      this.state = 'failing';
      this.lastError = messageOf(error);
      this.logger.warn(`Projection '${this.name}' retries ${poison.type} at ${poison.position} in ${delay} ms (attempt ${attempt} of ${this.settings.maxAttempts}): ${this.lastError}`);
      await this.lease.report({ state: 'failing', error: this.lastError });
      await this.stopAwareSleep(delay);
      return !this.stopping;
    },
  };

  private async commit({ apply: events, hold }: OrderedBatch, target: Position): Promise<void> {
    const attributes = { 'strata.subscription': this.checkpointName, 'strata.events': events.length, 'strata.checkpoint': target };
    await inSpan('strata.projection.batch', { attributes }, () =>
      this.documents.transaction(async (tx) => {
        await this.lease.fence(tx, { state: this.state === 'catching-up' ? 'catching-up' : 'live', error: null });
        // A commit that went through but answered with an error (an unknown commit result) left the
        // checkpoint ahead of ours: applying the batch again would count it twice.
        const stored = await tx.getCheckpoint(this.checkpointName);
        if (stored !== null && (this.checkpoint === null || comparePositions(stored, this.checkpoint) > 0)) throw new StrataError('CHECKPOINT_MOVED', `The checkpoint of '${this.checkpointName}' is ${stored ?? 'unset'}, not ${this.checkpoint ?? 'unset'} as this runner read it; it reloads it.`);
        await applyEvents(this.projection.handler, this.options, events, tx, { physicalName: this.physical });
        await ParkedEvents.holdBehindParked(tx, this.checkpointName, hold, (event) => this.order.partitionOf(event));
        await tx.setCheckpoint(this.checkpointName, target);
      }),
    );
    if (hold.length > 0) this.logger.warn(`Projection '${this.name}' held ${hold.length} event(s) behind parked ones of ${this.order.heldPartitions.length} partition(s); 'parked list' shows them.`);
    this.advanceTo(target);
    this.lastError = null;
    reportWrite();
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

  /** Creates the declared indexes, once per runner. */
  private async declareIndexes(): Promise<void> {
    if (this.indexesDeclared) return;
    for (const [collection, declaration] of Object.entries(this.options.collections)) {
      for (const index of declaration.indexes ?? []) {
        await this.documents.collection(this.physical(collection)).createIndex(index.keys, index.options);
      }
    }
    this.indexesDeclared = true;
  }

  /** Sleeps through appends (a retry must wait its backoff) but not through a stop. */
  private async stopAwareSleep(ms: number): Promise<void> {
    const until = this.now() + ms;
    while (!this.stopping && this.now() < until) await this.loop.sleep(until - this.now());
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
