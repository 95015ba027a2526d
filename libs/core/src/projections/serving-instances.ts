import type { DocumentStore } from '../documents/document-store';
import { activeHolder } from './projection-lease';

/** The system collection where each running process says which projection and saga versions it serves. */
export const INSTANCES_COLLECTION = 'strata_instances';

/** One process serving one version of a projection (or saga), until `expiresAt` unless it beats again. */
export interface ServingInstanceDocument {
  /** `<subscription>@v<version>|<owner>` */
  readonly _id: string;
  /** `projection:<name>` or `saga:<name>`: what is served, whatever the version. */
  readonly subscription: string;
  readonly version: number;
  /** The process, as lease owners are named (`host:pid:instance:tag`). */
  readonly owner: string;
  readonly expiresAt: number;
  /** Whether that version's read model had caught up with the log, as the process last saw it. */
  readonly caughtUp: boolean;
}

/**
 * The processes running each version, whether or not they hold its lease: what `projections
 * list` shows, what `projections retire` refuses to drop, and how an older saga version sees a
 * newer one and stands aside. Each entry lapses unless its process beats again within the TTL,
 * and at once when its process died on this host.
 */
export class ServingInstances {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Says that `owner` serves `version` of `subscription` for `ttlMs` more. */
  async beat(subscription: string, version: number, owner: string, ttlMs: number, caughtUp: boolean): Promise<void> {
    await this.store
      .collection<ServingInstanceDocument>(INSTANCES_COLLECTION)
      .replaceOne({ _id: entryKey(subscription, version, owner) }, { subscription, version, owner, expiresAt: this.now() + ttlMs, caughtUp }, { upsert: true });
  }

  /** Takes `owner` off the list at once, as a process that stops does. */
  async leave(subscription: string, version: number, owner: string): Promise<void> {
    await this.store.collection(INSTANCES_COLLECTION).deleteOne({ _id: entryKey(subscription, version, owner) });
  }

  /** The live entries of `subscription`, of one version when given, by version then owner. */
  async live(subscription: string, version?: number): Promise<ServingInstanceDocument[]> {
    const filter = version === undefined ? { subscription } : { subscription, version };
    const entries = await this.store.collection<ServingInstanceDocument>(INSTANCES_COLLECTION).find(filter, { sort: { version: 1, owner: 1 } });
    const now = this.now();
    return entries.filter((entry) => activeHolder({ _id: entry._id, owner: entry.owner, expiresAt: entry.expiresAt, acquiredAt: 0 }, now) !== null);
  }
}

function entryKey(subscription: string, version: number, owner: string): string {
  return `${subscription}@v${version}|${owner}`;
}
