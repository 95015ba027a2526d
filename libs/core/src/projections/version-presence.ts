import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import { projectionCheckpointName, subscriptionOf, type RegisteredProjection } from './registered-projection';
import { ServingInstances } from './serving-instances';

/**
 * One runner's presence as a version being served: it says so every half lease, for two leases
 * (`ServingInstances`; a beat that comes late under load must not drop it off the list, and it
 * must not compete with the lease's own renewals), knows whether its version's read model has caught up with the log,
 * and, for a saga (one subscription across versions), whether a newer version runs elsewhere.
 */
export class VersionPresence {
  /** What is served whatever the version: `projection:<name>` or a saga's subscription. */
  private readonly served: string;
  private readonly checkpointName: string;
  private readonly instances: ServingInstances;
  private beatAt = Number.NEGATIVE_INFINITY;
  private reachedHead = false;
  /** The head when first asked whether the read model caught up: what a new version must build up to. */
  private buildTarget: Position | null | undefined;
  private newerElsewhere = false;

  constructor(
    private readonly projection: RegisteredProjection,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly owner: string,
    private readonly leaseTtlMs: number,
    private readonly now: () => number,
  ) {
    this.served = projection.subscription ?? projectionCheckpointName(projection.options.name);
    this.checkpointName = subscriptionOf(projection);
    this.instances = new ServingInstances(documents, now);
  }

  /** A saga's newer version runs in another process: this one stands aside. */
  get outranked(): boolean {
    return this.newerElsewhere;
  }

  /** The runner (holding the lease) read to the head. */
  reached(): void {
    this.reachedHead = true;
  }

  /** Says that this process serves this version, when half a lease has passed since it last did. */
  async beat(): Promise<void> {
    if (this.now() - this.beatAt < this.leaseTtlMs / 2) return;
    const { version } = this.projection.options;
    await this.instances.beat(this.served, version, this.owner, this.leaseTtlMs * 2, this.reachedHead);
    if (this.projection.subscription !== undefined) {
      this.newerElsewhere = (await this.instances.live(this.served)).some((entry) => entry.version > version);
    }
    this.beatAt = this.now();
  }

  /** Takes this process off the list at once. */
  async leave(): Promise<void> {
    await this.instances.leave(this.served, this.projection.options.version, this.owner);
  }

  /**
   * Whether this version's read model has reached the head of the log as it was when first
   * asked (whoever holds the lease): until then a new version is still building. A fixed
   * target, so appends under way cannot keep a standby instance from seeing the leader get
   * there; later lag is the lag checks' matter.
   */
  async caughtUp(): Promise<boolean> {
    if (this.reachedHead) return true;
    if (this.buildTarget === undefined) this.buildTarget = await this.events.headPosition();
    const checkpoint = await this.documents.getCheckpoint(this.checkpointName);
    this.reachedHead = this.buildTarget === null || (checkpoint !== null && comparePositions(checkpoint, this.buildTarget) >= 0);
    return this.reachedHead;
  }
}
