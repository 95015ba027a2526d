import { Logger, type LoggerService } from '@nestjs/common';
import type { RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore, ExclusiveWriter } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { commitWithRecovery, type BatchSink } from './batch-recovery';
import { readBatch } from './log-batch';
import { ParkedEvents, describeError } from './parked-events';
import { ParkingOrder } from './parking-order';
import { applyEvents } from './projection-context';
import { activeHolder, Lease } from './projection-lease';
import type { ProjectionSettings } from './projection-settings';
import { ProjectionVersions } from './projection-versions';
import { physicalCollections, replayLeaseName, subscriptionOf, type RegisteredProjection } from './registered-projection';
import { BatchSizer } from './batch-sizer';
import { ProgressMeter, type ReplayProgress } from './replay-progress';
import { shadowName } from './shadow-collections';
import { strataTelemetry } from '../observability/strata-telemetry';

/** Lets the event loop take a turn (timers, I/O) before going on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Past this many parked events a replay gives up: a handler that fails this often needs fixing first. */
export const MAX_REPLAY_PARKED = 100;

/** What a finished replay did. */
export interface ReplayResult {
  readonly projection: string;
  readonly version: number;
  /** The checkpoint the rebuilt read model was swapped in at; null for an empty log. */
  readonly checkpoint: Position | null;
  /** Events of the log read. */
  readonly events: number;
  /** Events the rebuild parked after they failed (not those held behind them); all replace the projection's parked events. */
  readonly parked: number;
  /** Events the rebuild parked behind those, in order, because they share a partition. */
  readonly held: number;
  readonly elapsedMs: number;
}

/** How a replay runs. */
export interface ReplayRunOptions {
  /** Called after every batch. */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Polled between batches; true ends the replay (`REPLAY_STOPPED`) and leaves the live read model as it was. */
  readonly shouldStop?: () => boolean;
  readonly logger?: LoggerService;
  readonly now?: () => number;
}

/** Another process is replaying the same projection. */
export class ReplayInProgressError extends StrataError {
  constructor(projection: string, holder: string) {
    super(
      'REPLAY_IN_PROGRESS',
      `Projection '${projection}' is already being replayed by ${holder}. Wait for that replay to finish; if its process died, its lease lapses (at once on the same host).`,
    );
  }
}

/** The replay ended before the swap; the live read model is as it was. */
export class ReplayAbortedError extends StrataError {
  constructor(code: 'REPLAY_STOPPED' | 'REPLAY_FAILED', message: string) {
    super(code, message);
  }
}

/**
 * Rebuilds one version of a projection (the version of the code running it) from the start of
 * the log into shadows of its collections while its live read model keeps being served (and kept up to date by whichever process runs the projection).
 * At the end it takes the projection's lease, which makes that runner stand by, applies the
 * last events, and in one unit of work renames the shadows over the live collections, moves
 * the checkpoint and records the version. The runner then resumes from that checkpoint.
 * A replay that dies leaves only shadows behind, which the next replay drops.
 */
export class ProjectionReplay {
  private readonly name: string;
  private readonly subscription: string;
  private readonly physical: (collection: string) => string;
  private readonly replayLease: Lease;
  private readonly projectionLease: Lease;
  private readonly policy: RetryPolicy;
  private readonly logger: LoggerService;
  private readonly now: () => number;
  private meter!: ProgressMeter;
  private parked = 0;
  private held = 0;
  private read = 0;
  private readonly sizer: BatchSizer;
  /** The rebuild parks in order as a runner does, starting with nothing held. */
  private readonly order: ParkingOrder;

  constructor(
    private readonly projection: RegisteredProjection,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly settings: ProjectionSettings,
    owner: string,
    private readonly options: ReplayRunOptions = {},
  ) {
    this.name = projection.options.name;
    this.subscription = subscriptionOf(projection);
    this.physical = physicalCollections(projection);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? new Logger('Projections');
    this.replayLease = new Lease(documents, replayLeaseName(this.name, projection.options.version), owner, settings.leaseTtlMs, this.now);
    this.projectionLease = new Lease(documents, this.subscription, owner, settings.leaseTtlMs, this.now);
    this.policy = { maxAttempts: settings.maxAttempts, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs };
    this.sizer = new BatchSizer(settings.replayBatchSize);
    this.order = new ParkingOrder(projection.options.partitionKey);
  }

  /** Rebuilds and swaps; throws `REPLAY_IN_PROGRESS`, `REPLAY_STOPPED` or `REPLAY_FAILED` without touching the live read model. */
  async run(): Promise<ReplayResult> {
    if (!(await this.replayLease.tryAcquire())) {
      throw new ReplayInProgressError(this.name, activeHolder(await this.replayLease.read(), this.now()) ?? 'another process');
    }
    this.meter = new ProgressMeter(this.name, this.now);
    let stole = false;
    let writer: ExclusiveWriter | null = null;
    try {
      writer = await this.prepareShadows();
      const built = await this.catchUp(writer, null, 'building', [this.replayLease]);
      // Indexed once loaded, and before the live read model stops being kept up to date.
      await writer.declareIndexes();
      await this.projectionLease.steal({ state: 'rebuilding', error: null });
      stole = true;
      const checkpoint = await this.catchUp(writer, built, 'catching-up', [this.replayLease, this.projectionLease]);
      writer.close();
      await this.swap(checkpoint);
      strataTelemetry.emit({ kind: 'replay', projection: this.name, done: this.read, total: this.read });
      this.options.onProgress?.(this.meter.report('swapped', this.read, this.read));
      return { projection: this.name, version: this.projection.options.version, checkpoint, events: this.read, parked: this.parked, held: this.held, elapsedMs: this.meter.elapsedMs };
    } finally {
      writer?.close();
      // Released at once, so the runner resumes without waiting out the lease.
      if (stole) await this.release(this.projectionLease);
      await this.release(this.replayLease);
    }
  }

  /**
   * Drops what an earlier, unfinished replay left, and opens the writer of the shadows: only
   * this replay writes them (each batch proves it holds the replay's lease), so it may remember
   * their documents between batches, and index them once they are loaded.
   */
  private async prepareShadows(): Promise<ExclusiveWriter> {
    const { collections } = this.projection.options;
    const shadows = Object.keys(collections).map((collection) => shadowName(this.physical(collection)));
    for (const shadow of shadows) await this.documents.dropCollection(shadow);
    await new ParkedEvents(this.documents).discard(this.replayLease.name);
    const indexes = Object.fromEntries(Object.entries(collections).map(([collection, declaration]) => [shadowName(this.physical(collection)), declaration.indexes ?? []]));
    return this.documents.exclusiveWriter(shadows, { indexes });
  }

  /**
   * Applies batches into the shadows until a read reaches the end of the log; returns the
   * position reached. Work is sized by time (`BatchSizer`): a batch holds as many events as
   * both its read and its commit fit in the budget, each in a turn of the event loop of its
   * own, and is applied in slices with turns between.
   */
  private async catchUp(writer: ExclusiveWriter, from: Position | null, phase: ReplayProgress['phase'], fences: readonly Lease[]): Promise<Position | null> {
    const sink = this.sink(writer, fences);
    const { read, commit } = this.sizer;
    let checkpoint = from;
    for (;;) {
      if (this.options.shouldStop?.()) throw this.stopped();
      const size = Math.min(read.size, commit.size);
      const startedAt = this.sizer.now();
      const batch = await readBatch(this.events, checkpoint, size, this.projection.options.events);
      read.record(size, batch.events.length, this.sizer.now() - startedAt);
      if (batch.target === null) return checkpoint;
      await nextTurn();
      const reached = await commitWithRecovery(sink, batch.events, batch.target, this.policy, this.order);
      if (reached === null) throw this.stopped();
      this.read = this.events.eventsBetween(null, reached) ?? this.read + batch.events.length;
      checkpoint = reached;
      const total = this.events.eventsBetween(null, batch.head);
      strataTelemetry.emit({ kind: 'replay', projection: this.name, done: this.read, total });
      this.options.onProgress?.(this.meter.report(phase, this.read, total));
      if (batch.reachedEnd && reached === batch.target) return checkpoint;
      // Lets I/O in: progress output here, HTTP requests when an app upgrades in-process.
      await nextTurn();
    }
  }

  private sink(writer: ExclusiveWriter, fences: readonly Lease[]): BatchSink {
    return {
      commit: async ({ apply: events, hold }, _target) => {
        let applied = 0;
        await writer.transaction(async (tx) => {
          const pause = this.sizer.slicer();
          for (const lease of fences) await lease.fence(tx);
          await applyEvents(this.projection.handler, this.projection.options, events, tx, { physicalName: (collection) => shadowName(this.physical(collection)), pause });
          // Held in the parked events the swap adopts, so the rebuilt model waits on them as the live one did.
          await ParkedEvents.holdAll(tx, this.replayLease.name, hold, (event) => this.order.partitionOf(event));
          // The commit, which runs when this resolves, gets a turn of its own.
          await nextTurn();
          applied = this.sizer.now();
        });
        this.sizer.commit.record(events.length, events.length, this.sizer.now() - applied);
        this.held += hold.length;
      },
      park: async (event, error, attempts) => {
        if (this.parked >= MAX_REPLAY_PARKED) throw this.failed(event, error);
        await this.documents.transaction(async (tx) => {
          for (const lease of fences) await lease.fence(tx);
          await ParkedEvents.park(tx, this.replayLease.name, event, this.order.partitionOf(event), error, attempts);
        });
        this.parked += 1;
        this.logger.error(`Replay of '${this.name}' parked ${event.type} at ${event.position} (stream ${event.streamId}) after ${attempts} attempts: ${describeError(error)}`);
      },
      beforeRetry: async (event, attempt, delayMs, error) => {
        this.logger.warn(`Replay of '${this.name}' retries ${event.type} at ${event.position} in ${delayMs} ms (attempt ${attempt} of ${this.policy.maxAttempts}): ${describeError(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return !(this.options.shouldStop?.() ?? false);
      },
    };
  }

  /** Renames the shadows over the live collections, with the checkpoint, version and parked events, in one unit of work. */
  private async swap(checkpoint: Position | null): Promise<void> {
    const { options } = this.projection;
    await this.documents.transaction(async (tx) => {
      await this.replayLease.fence(tx);
      await this.projectionLease.fence(tx);
      for (const collection of Object.keys(options.collections)) await tx.renameCollection(shadowName(this.physical(collection)), this.physical(collection));
      if (checkpoint !== null) await tx.setCheckpoint(this.subscription, checkpoint);
      await ProjectionVersions.record(tx, options);
      await ParkedEvents.adopt(tx, this.replayLease.name, this.subscription);
    });
  }

  private stopped(): ReplayAbortedError {
    return new ReplayAbortedError('REPLAY_STOPPED', `The replay of '${this.name}' was stopped before the swap; the live read model is unchanged.`);
  }

  private failed(event: RecordedEvent, error: unknown): ReplayAbortedError {
    return new ReplayAbortedError(
      'REPLAY_FAILED',
      `The replay of '${this.name}' gave up: more than ${MAX_REPLAY_PARKED} events failed, the last ${event.type} at ${event.position} (${describeError(error)}). Fix the handler and replay again; the live read model is unchanged.`,
    );
  }

  private async release(lease: Lease): Promise<void> {
    try {
      await lease.release();
    } catch (error) {
      this.logger.warn(`Replay of '${this.name}' could not release lease '${lease.name}'; it lapses on its own: ${describeError(error)}`);
    }
  }
}
