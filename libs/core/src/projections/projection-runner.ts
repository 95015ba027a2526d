import { Logger, type LoggerService } from '@nestjs/common';
import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import { StrataError } from '../errors/strata-error';
import type { RecordedEvent } from '../events/event';
import { commitWithRecovery, type BatchSink } from './batch-recovery';
import { readBatch } from './log-batch';
import { ParkedEvents } from './parked-events';
import { applyEvents, createProjectionContext } from './projection-context';
import { hasCode, Lease, LeaseLostError } from './projection-lease';
import type { ProjectionOptions } from './projection-options';
import type { ProjectionSettings } from './projection-settings';
import type { ProjectionState, ProjectionStatus } from './projection-status';
import { upgradeIfOutdated } from './projection-upgrade';
import { projectionCheckpointName, type RegisteredProjection } from './registered-projection';
import { WakeUp } from './wake-up';
import { reportWrite } from '../observability/storage-health';
import { inSpan } from '../observability/tracing';

export { projectionCheckpointName, type RegisteredProjection } from './registered-projection';

/**
 * Keeps one projection's read model up to date: takes the lease, reads the log from the
 * stored checkpoint in batches, applies each batch and its checkpoint in one unit of work,
 * then follows live appends (polling, and woken at once by appends in this process).
 * A failing event is retried with backoff, then parked, and the projection moves on.
 * When the read model was built by another `version`, it is first rebuilt in shadow
 * collections while the old one is served, then swapped in (`ProjectionReplay`).
 */
export class ProjectionRunner {
  readonly lease: Lease;
  private readonly checkpointName: string;
  private readonly retryPolicy: RetryPolicy;
  private readonly appended = new WakeUp(true);
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
  /** Events per batch now: the setting, cut down while batches take long (see `resize`). */
  private batchLimit: number;

  constructor(
    readonly projection: RegisteredProjection,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly settings: ProjectionSettings,
    private readonly owner: string,
    private readonly logger: LoggerService = new Logger('Projections'),
    private readonly now: () => number = Date.now,
  ) {
    this.checkpointName = projection.subscription ?? projectionCheckpointName(projection.options.name);
    this.lease = new Lease(documents, this.checkpointName, owner, settings.leaseTtlMs, now);
    this.batchLimit = settings.batchSize;
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

  /**
   * How often a runner on standby asks for the lease: about a second, so it resumes soon after
   * a replay or an operator's retry releases it, but never more often than it polls the log.
   */
  private get standbyPollMs(): number {
    return Math.max(this.settings.pollIntervalMs, Math.min(1_000, this.settings.leaseTtlMs / 3));
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
        if (hasCode(error, 'CHECKPOINT_MOVED')) {
          // An earlier commit went through after all: take the lease and the stored checkpoint again.
          this.logger.warn(`Projection '${this.name}' reloads its checkpoint: ${messageOf(error)}`);
          this.leader = false;
          continue;
        }
        if (hasCode(error, 'REPLAY_IN_PROGRESS')) {
          // Another process rebuilds this projection (at this version too, by the same code); its swap moves us on.
          this.logger.warn(`Projection '${this.name}' waits for a replay elsewhere: ${messageOf(error)}`);
          this.leader = false;
          this.state = 'rebuilding';
          await this.appended.sleep(this.standbyPollMs);
          continue;
        }
        reportWrite(error);
        failures += 1;
        this.state = 'failing';
        this.lastError = messageOf(error);
        if (this.leader) await this.lease.report({ state: 'failing', error: this.lastError });
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
        await this.appended.sleep(this.standbyPollMs);
        return;
      }
      this.leader = true;
      if (this.projection.rebuildOnVersionChange !== false) {
        await upgradeIfOutdated({
          projection: this.projection,
          events: this.events,
          documents: this.documents,
          settings: this.settings,
          owner: this.owner,
          lease: this.lease,
          logger: this.logger,
          now: this.now,
          stopping: () => this.stopping,
          rebuilding: () => (this.state = 'rebuilding'),
        });
      }
      this.checkpoint = await this.documents.getCheckpoint(this.checkpointName);
      this.logger.log(`Projection '${this.name}' v${this.options.version} runs here from ${this.checkpoint ?? 'the start'}.`);
    }
    const batch = await readBatch(this.events, this.checkpoint, this.batchLimit, this.options.events);
    if (batch.target === null) {
      this.state = 'live';
      this.lastError = null;
      if (!(await this.lease.renewIfDue({ state: 'live', error: null }))) throw new LeaseLostError(this.checkpointName);
      await this.appended.sleep(this.settings.pollIntervalMs);
      return;
    }
    this.state = batch.reachedEnd ? 'live' : 'catching-up';
    const started = this.now();
    try {
      await commitWithRecovery(this.sink, batch.events, batch.target, this.retryPolicy);
    } finally {
      this.resize(batch.events.length, this.now() - started);
    }
    // A synchronous store resolves every await at once, so a catch-up would otherwise run as
    // one long chain of microtasks and starve HTTP; give the event loop a turn per batch.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Where batches go: the live collections, fenced by the lease, with the checkpoint. */
  private readonly sink: BatchSink = {
    commit: (events, target) => this.commit(events, target),
    park: async (poison, error, attempts) => {
      await this.documents.transaction(async (tx) => {
        await this.lease.fence(tx, { state: 'failing', error: messageOf(error) });
        await ParkedEvents.park(tx, this.checkpointName, poison, error, attempts);
        await tx.setCheckpoint(this.checkpointName, poison.position);
      });
      this.advanceTo(poison.position);
      this.logger.error(
        `Projection '${this.name}' parked ${poison.type} at ${poison.position} (stream ${poison.streamId}) after ${attempts} attempts and moved on: ${messageOf(error)}`,
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

  private async commit(events: readonly RecordedEvent[], target: Position): Promise<void> {
    const attributes = { 'strata.subscription': this.checkpointName, 'strata.events': events.length, 'strata.checkpoint': target };
    await inSpan('strata.projection.batch', { attributes }, () =>
      this.documents.transaction(async (tx) => {
        await this.lease.fence(tx, { state: this.state === 'catching-up' ? 'catching-up' : 'live', error: null });
        // A commit that went through but answered with an error (an unknown commit result) left the
        // checkpoint ahead of ours: applying the batch again would count it twice.
        const stored = await tx.getCheckpoint(this.checkpointName);
        if (stored !== null && (this.checkpoint === null || comparePositions(stored, this.checkpoint) > 0)) throw new StrataError('CHECKPOINT_MOVED', `The checkpoint of '${this.checkpointName}' is ${stored ?? 'unset'}, not ${this.checkpoint ?? 'unset'} as this runner read it; it reloads it.`);
        await applyEvents(this.projection.handler, this.options, events, createProjectionContext(this.options, tx));
        await tx.setCheckpoint(this.checkpointName, target);
      }),
    );
    this.advanceTo(target);
    this.lastError = null;
    reportWrite();
  }

  /**
   * A batch holds its lease without renewing it: one that takes longer than the lease lets
   * another instance take over, which fails this commit, then its own, each in turn. So a batch
   * that took more than a fifth of the lease shrinks the next ones to fit (a slow store, a busy
   * machine), and batches grow back towards the setting while they are quick. Kept after a
   * failed commit too, for the next time this process holds the lease.
   */
  private resize(events: number, ms: number): void {
    const budget = this.settings.leaseTtlMs / 5;
    if (ms > budget) this.batchLimit = Math.max(1, Math.floor((events * budget) / ms));
    else if (events >= this.batchLimit && ms < budget / 2) this.batchLimit = Math.min(this.settings.batchSize, this.batchLimit * 2);
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
